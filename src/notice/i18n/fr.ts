/**
 * Le texte fixe de la politique de confidentialité, en français, dans les termes du RGPD
 * (responsable du traitement, sous-traitant, destinataires, durée de conservation...).
 * Typé par `NoticeStrings` : une clé manquante ou en trop est une erreur de compilation.
 */
import type { NoticeStrings } from './en.js';

export const fr: NoticeStrings = {
  title: 'Politique de confidentialité',
  title_with_org: 'Politique de confidentialité de {organisation}',
  skip_link: 'Aller au contenu',
  toc: 'Sommaire',
  effective_date: "Date d'entrée en vigueur : {date}",
  generated_at: 'Générée le {date} à partir du registre des activités de traitement.',
  translation_note: "Certaines parties de cette politique n'existent que dans une autre langue ; elles sont signalées comme telles.",

  h_introduction: 'Introduction',
  intro_fixed:
    "Cette politique explique comment {organisation} traite vos données personnelles, pourquoi, sur quelle base légale, à qui elles sont communiquées, combien de temps elles sont conservées, et les droits dont vous disposez en vertu du Règlement général sur la protection des données (RGPD, règlement (UE) 2016/679), articles 13 et 14.",

  h_who: 'Qui traite vos données personnelles',
  controller_is: 'Le responsable du traitement de vos données personnelles est {name}',
  controller_legal_form: ', {legal_form}',
  controller_registration: ', immatriculée au {register} sous le numéro {number}',
  controller_address: ', dont le siège social est situé {address}',
  controller_contact: 'Pour nous contacter :',
  h_dpo: 'Délégué à la protection des données',
  dpo_intro:
    'Pour toute question relative à la protection de vos données personnelles, vous pouvez contacter notre délégué à la protection des données (DPO) :',
  dpo_named: 'Notre délégué à la protection des données est {name}.',
  h_dpo_feminine: 'Déléguée à la protection des données',
  dpo_intro_feminine:
    'Pour toute question relative à la protection de vos données personnelles, vous pouvez contacter notre déléguée à la protection des données (DPO) :',
  dpo_named_feminine: 'Notre déléguée à la protection des données est {name}.',
  exercise_dpo_feminine: 'Vous pouvez exercer vos droits en contactant notre déléguée à la protection des données (voir ci-dessus).',
  h_representative: "Représentant dans l'Union européenne",
  representative_is: "Notre représentant dans l'Union européenne (art. 27 du RGPD) est {name}.",
  h_joint_controllers: 'Responsables conjoints du traitement',
  joint_intro:
    "Pour les activités ci-dessous, nous déterminons les finalités et les moyens du traitement conjointement avec d'autres organismes (responsables conjoints du traitement, art. 26 du RGPD). Vous pouvez exercer vos droits auprès de chacun d'eux.",
  joint_item: '{activity} : {parties}',
  arrangement: "Grandes lignes de l'accord : {text}",
  h_processor_for: 'Lorsque nous agissons en tant que sous-traitant',
  processor_intro:
    "Pour les activités ci-dessous, nous traitons des données personnelles uniquement pour le compte d'autres organismes, qui sont responsables du traitement (art. 28 du RGPD) : ils décident pourquoi et comment les données sont traitées, et il est préférable de leur adresser vos demandes d'exercice de droits.",
  processor_item: '{activity} : pour le compte de {parties}',

  contact_email: 'Par courriel : {value}',
  contact_post: 'Par courrier : {value}',
  contact_phone: 'Par téléphone : {value}',
  contact_web: 'En ligne : {value}',

  h_definitions: 'Définitions',
  definitions_intro: 'Dans cette politique, les termes suivants ont le sens que leur donne le RGPD :',
  def_personal_data: 'Donnée personnelle',
  def_personal_data_text:
    "Toute information se rapportant à une personne physique identifiée ou identifiable, directement ou indirectement (art. 4.1 du RGPD).",
  def_processing: 'Traitement',
  def_processing_text:
    "Toute opération appliquée à des données personnelles, telle que la collecte, l'enregistrement, l'organisation, la conservation, la consultation, l'utilisation, la communication ou l'effacement (art. 4.2 du RGPD).",
  def_controller: 'Responsable du traitement',
  def_controller_text: "La personne ou l'organisme qui détermine les finalités et les moyens du traitement (art. 4.7 du RGPD).",
  def_processor: 'Sous-traitant',
  def_processor_text:
    "La personne ou l'organisme qui traite des données personnelles pour le compte du responsable du traitement (art. 4.8 du RGPD).",
  def_recipient: 'Destinataire',
  def_recipient_text: "La personne ou l'organisme qui reçoit communication de données personnelles (art. 4.9 du RGPD).",
  def_data_subject: 'Personne concernée',
  def_data_subject_text: 'La personne physique dont les données personnelles sont traitées : vous.',
  def_legal_basis: 'Base légale',
  def_legal_basis_text: "Le fondement, parmi ceux de l'article 6, paragraphe 1, du RGPD, qui rend un traitement licite.",
  def_retention: 'Durée de conservation',
  def_retention_text:
    "La durée pendant laquelle les données personnelles sont conservées : pas plus longtemps que nécessaire au regard des finalités pour lesquelles elles sont traitées (art. 5.1.e du RGPD).",
  def_dpo: 'Délégué à la protection des données (DPO)',
  def_dpo_text:
    "La personne qui informe et conseille l'organisme sur ses obligations en matière de protection des données, contrôle leur respect et est votre interlocuteur (art. 37 à 39 du RGPD).",

  h_source_data_subject: 'Données collectées auprès de vous',
  h_source_third_party: 'Données collectées auprès de tiers',
  h_source_public: 'Données collectées auprès de sources publiques',
  h_source_unstated: 'Autres traitements',
  source_intro_data_subject: 'Ces données sont collectées directement auprès de vous, dans les contextes suivants.',
  source_intro_third_party: 'Ces données nous sont communiquées par des tiers, dans les contextes suivants (art. 14 du RGPD).',
  source_intro_public: 'Ces données proviennent de sources accessibles au public, dans les contextes suivants (art. 14 du RGPD).',
  source_intro_unstated: "Le registre n'indique pas d'où proviennent les données des activités suivantes.",
  source_also_one: 'Activité également concernée, décrite plus haut : {activities}.',
  source_also_many: 'Activités également concernées, décrites plus haut : {activities}.',
  row_not_stated: 'non précisé',
  retention_not_stated_general: "non précisée pour cette activité : les critères généraux indiqués sous « Combien de temps nous conservons vos données » s'appliquent",
  processor_requests:
    "Les demandes d'exercice de vos droits sur ces données sont à adresser au responsable du traitement ; nous l'aidons à y répondre (art. 28.3.e du RGPD). Si vous nous écrivez, nous lui transmettons votre demande.",
  table_caption: 'Comment nous traitons vos données : {activity}',
  col_item: 'Élément',
  col_details: 'Détail',
  row_source: 'Source des données',
  row_role: 'Notre rôle',
  row_operations: 'Opérations de traitement',
  row_purposes: 'Finalités',
  row_legal_bases: 'Base légale',
  row_special_conditions: 'Condition de traitement des catégories particulières de données',
  row_data_categories: 'Catégories de données personnelles',
  row_data_subjects: 'Personnes concernées',
  row_recipients: 'Destinataires',
  row_retention: 'Durée de conservation',
  purpose_with_basis: '{purpose} — base légale : {basis}',
  basis_interest: 'Intérêt légitime poursuivi : {text}',
  basis_withdrawal: 'Vous pouvez retirer votre consentement à tout moment : {text}',
  basis_law: 'Texte applicable : {text}',
  special_category_mark: 'catégorie particulière de données : {category}',
  special_category_incidental: 'peut révéler incidemment une catégorie particulière de données : {category}',
  criminal_mark: 'données relatives aux condamnations pénales et aux infractions (art. 10 du RGPD)',
  role_processor:
    'Sous-traitant (art. 28 du RGPD) : nous traitons ces données pour le compte de {controllers}, qui décide pourquoi et comment elles sont traitées.',
  role_processor_many:
    'Sous-traitant (art. 28 du RGPD) : nous traitons ces données pour le compte de {controllers}, qui décident pourquoi et comment elles sont traitées.',
  role_processor_unnamed: "Sous-traitant (art. 28 du RGPD) : nous traitons ces données pour le compte d'autres responsables du traitement.",
  role_joint: 'Responsable conjoint du traitement (art. 26 du RGPD), avec {parties}.',
  role_joint_unnamed: 'Responsable conjoint du traitement (art. 26 du RGPD).',
  recipients_group: '{kind} : {names}',
  source_kind_with_explanation: '{kind} : {explanation}',
  source_categories: 'Données concernées : {categories}.',

  h_recipients: 'Destinataires de vos données',
  recipients_intro:
    "Selon l'activité (voir les tableaux ci-dessus), vos données peuvent être communiquées aux destinataires suivants.",
  recipients_none: 'Le registre ne mentionne aucun destinataire de vos données.',
  recipient_kind_internal: 'Services internes de notre organisme',
  recipient_kind_processor: 'Nos sous-traitants (prestataires agissant sur nos instructions)',
  recipient_kind_third_party: 'Tiers',
  recipient_kind_public_authority: 'Autorités publiques',
  recipient_kind_joint_controller: 'Responsables conjoints du traitement',
  recipient_in_country: '{name} ({country})',
  sub_processor_of: '{name}, sous-traitant ultérieur de {processor}',

  h_retention: 'Combien de temps nous conservons vos données',
  retention_intro:
    "Vos données sont conservées pendant une durée n'excédant pas celle nécessaire au regard des finalités pour lesquelles elles sont traitées (art. 5.1.e du RGPD).",
  retention_none: "Le registre n'indique pas de durée de conservation pour les activités décrites dans cette politique.",
  retention_for_categories: '{categories} : {rule}',
  retention_duration: '{duration}',
  retention_duration_from: '{duration} à compter de {event}',
  retention_criteria: 'critères : {text}',
  retention_end_delete: 'puis supprimées',
  retention_end_anonymise: 'puis anonymisées',
  retention_end_archive: 'puis archivées',
  retention_archive: 'puis archivées pendant {duration} ({statute})',
  activity_item: '{activity} : {text}',

  h_rights: 'Vos droits',
  rights_intro:
    "Vous disposez des droits suivants sur vos données personnelles. Certains dépendent de la base légale du traitement : dans ce cas, les activités concernées sont indiquées.",
  right_applies_to: 'Activité concernée : {activities}.',
  right_applies_to_many: 'Activités concernées : {activities}.',
  h_exercise: 'Comment exercer vos droits',
  exercise_intro: 'Vous pouvez exercer vos droits par les moyens suivants :',
  exercise_dpo: 'Vous pouvez exercer vos droits en contactant notre délégué à la protection des données (voir ci-dessus).',
  exercise_none: "Le registre n'indique aucun moyen d'exercer vos droits.",
  exercise_free:
    "L'exercice de vos droits est gratuit. Ce n'est que lorsqu'une demande est manifestement infondée ou excessive, notamment en raison de son caractère répétitif, que nous pouvons exiger le paiement de frais raisonnables tenant compte des coûts administratifs, ou refuser d'y donner suite (art. 12.5 du RGPD).",
  exercise_identity:
    "Nous ne demandons d'informations supplémentaires pour confirmer votre identité que si nous avons des doutes raisonnables sur celle-ci (art. 12.6 du RGPD).",
  exercise_delay:
    "Nous répondons dans un délai d'un mois à compter de la réception de votre demande. Au besoin, compte tenu de la complexité et du nombre de demandes, ce délai peut être prolongé de deux mois ; nous vous en informons alors, avec les motifs, dans le mois suivant la réception de la demande (art. 12.3 du RGPD).",

  h_provision: 'Si vous ne fournissez pas vos données',
  provision_intro:
    'Lorsque nous collectons des données auprès de vous, voici si leur fourniture est obligatoire et ce qui se passe si vous ne les fournissez pas (art. 13.2.e du RGPD) :',
  provision_none: "Le registre n'indique pas, pour les activités décrites ici, si la fourniture de vos données est obligatoire.",
  provision_item: '{requirement}',
  provision_item_consequences: '{requirement}. {consequences}',

  h_automated: 'Décisions automatisées',
  automated_none:
    "Aucun des traitements décrits dans cette politique ne donne lieu à une décision fondée exclusivement sur un traitement automatisé, y compris le profilage (art. 22 du RGPD).",
  automated_none_others: "Les autres activités décrites dans cette politique ne donnent lieu à aucune décision fondée exclusivement sur un traitement automatisé.",
  automated_not_stated: "Le registre n'indique pas si les activités suivantes donnent lieu à des décisions fondées exclusivement sur un traitement automatisé : {activities}.",
  automated_not_stated_all: "Le registre n'indique pas si les activités décrites dans cette politique donnent lieu à des décisions fondées exclusivement sur un traitement automatisé.",
  automated_logic: 'Logique sous-jacente : {text}',
  automated_consequences: 'Importance et conséquences prévues pour vous : {text}',
  automated_safeguards: 'Vos garanties : {text}',
  automated_legal_effect:
    "Cette décision produit des effets juridiques vous concernant ou vous affecte de manière significative de façon similaire (art. 22 du RGPD).",
  automated_profiling: 'Elle repose sur un profilage.',
  automated_exception: 'Fondement de cette décision : {exception}.',
  automated_art22_3:
    "Vous pouvez obtenir une intervention humaine de notre part, exprimer votre point de vue et contester la décision (art. 22.3 du RGPD).",

  h_security: 'Sécurité de vos données',
  security_measures_intro: 'Les mesures techniques et organisationnelles que nous appliquons comprennent (art. 32 du RGPD) :',
  security_none: "Le registre ne décrit aucune mesure de sécurité.",

  h_cookies: 'Cookies',
  cookies_text: 'Pour en savoir plus sur les cookies et autres traceurs, consultez notre politique cookies : {url}',

  h_transfers: "Transferts hors de l'Espace économique européen",
  transfers_intro:
    "Vos données peuvent être transférées hors de l'Espace économique européen (EEE), avec les garanties suivantes (art. 44 à 49 du RGPD).",
  transfers_none: "Vos données personnelles ne sont pas transférées hors de l'Espace économique européen (EEE).",
  transfers_not_stated: "Le registre n'indique pas si des données sont transférées hors de l'Espace économique européen (EEE) pour les activités suivantes : {activities}.",
  transfers_not_stated_all: "Le registre n'indique pas si des données sont transférées hors de l'Espace économique européen (EEE).",
  transfers_caption: "Transferts hors de l'EEE et garanties appropriées",
  col_activity: 'Activités',
  col_recipient: 'Destinataire',
  col_country: 'Pays',
  col_safeguard: 'Garantie',
  not_stated: 'non précisé',
  scc_module: 'module {module}',
  documentation: 'Pour en savoir plus : {url}',

  h_complaints: "Réclamation auprès de l'autorité de contrôle",
  complaints_intro:
    "Si vous estimez que le traitement de vos données personnelles constitue une violation du RGPD, vous avez le droit d'introduire une réclamation auprès d'une autorité de contrôle, notamment dans l'État membre de votre résidence habituelle, de votre lieu de travail ou du lieu où la violation aurait été commise (art. 77 du RGPD).",
  complaints_authority: 'Autorité de contrôle compétente : {name}.',
  authority_address: 'Adresse : {address}',
  authority_url: 'Site internet : {url}',

  unit_year: 'an',
  unit_years: 'ans',
  unit_month: 'mois',
  unit_months: 'mois',
  unit_week: 'semaine',
  unit_weeks: 'semaines',
  unit_day: 'jour',
  unit_days: 'jours',
  and: 'et',
  colon: ' : ',
  semicolon: ' ; ',
  list_separator: ', ',
  /** How GDPR article references are written: 6(1)(a) in English, 6.1.a in French (CNIL usage). */
  article_style: 'dots',
  article_gdpr: 'art. {article} du RGPD',
};
