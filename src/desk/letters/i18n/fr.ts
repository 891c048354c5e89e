/**
 * Le texte fixe des lettres adressées à la personne concernée, en français, dans les termes du RGPD
 * (responsable du traitement, autorité de contrôle, recours juridictionnel...). Typé par
 * `LetterStrings` : une clé manquante ou en trop est une erreur de compilation.
 *
 * Les espaces sont écrites ordinaires : build-letter.ts les rend insécables devant « : ; ! ? » et à
 * l'intérieur des guillemets, au rendu, pour que le texte reste lisible ici.
 */
import type { LetterStrings } from './en.js';

export const fr: LetterStrings = {
  locale: 'fr-FR',
  months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  date: '{day} {month} {year}',
  day_first: '1er',
  label_separator: ' : ',
  quote: '« {text} »',

  type_access: 'Accès à vos données personnelles (art. 15 du RGPD)',
  type_portability: 'Portabilité de vos données personnelles (art. 20 du RGPD)',
  type_rectification: 'Rectification de vos données personnelles (art. 16 du RGPD)',
  type_erasure: 'Effacement de vos données personnelles (art. 17 du RGPD)',
  type_restriction: 'Limitation du traitement (art. 18 du RGPD)',
  type_lift_restriction: 'Levée de la limitation du traitement (art. 18.3 du RGPD)',
  type_objection: 'Opposition au traitement (art. 21 du RGPD)',
  type_withdraw_consent: 'Retrait du consentement (art. 7.3 du RGPD)',
  type_automated_decision_review: 'Intervention humaine sur une décision automatisée (art. 22.3 du RGPD)',
  type_post_mortem: 'Sort des données personnelles après un décès (article 85 de la loi Informatique et Libertés)',

  label_reference: 'Référence',
  label_request: 'Demande',
  label_received_on: 'Date de réception',
  label_due_on: 'Date limite de réponse',
  label_new_due_on: 'Nouvelle date limite de réponse',
  label_amount: 'Montant des frais',

  greeting: 'Madame, Monsieur,',
  contact: 'Pour toute question sur votre demande, écrivez-nous à {email} en rappelant sa référence, {reference}.',
  closing: 'Veuillez agréer, Madame, Monsieur, l’expression de nos salutations distinguées.',
  dpo_line: 'Notre délégué à la protection des données : {name} ({email})',
  dpo_line_feminine: 'Notre déléguée à la protection des données : {name} ({email})',

  subject_acknowledgement: 'Votre demande {reference} a bien été reçue',
  acknowledgement_received:
    'Nous avons bien reçu votre demande et l’avons enregistrée sous la référence ci-dessous. Merci de rappeler cette référence dans tout message à son sujet.',
  acknowledgement_deadline:
    'Nous vous répondrons dans les meilleurs délais et au plus tard le {due_on} (art. 12.3 du RGPD). Au besoin, compte tenu de la complexité et du nombre de demandes, ce délai peut être prolongé de deux mois ; nous vous en informerions alors avant le {due_on}, en vous indiquant les motifs de la prolongation.',

  subject_identity_code: 'Votre code de confirmation pour la demande {reference}',
  code_intro: 'Voici le code qui confirme que cette adresse électronique est bien la vôtre, pour la demande {reference} :',
  code_validity: 'Il est valable {minutes} minutes. Saisissez-le sur la page où vous avez fait votre demande.',
  code_validity_link: 'Il est valable {minutes} minutes. Ouvrez ce lien, qui mène à votre demande sur notre espace vie privée, et saisissez-y le code : {link}',
  code_link_private: 'Gardez ce lien pour vous : il ouvre votre demande et vous permet de la suivre jusqu’à notre réponse.',
  code_validity_earlier_link: 'Il est valable {minutes} minutes. Saisissez-le sur la page de votre demande : ouvrez-la depuis le lien de notre premier message à ce sujet, ou de notre courrier.',
  code_never_share: 'Ne communiquez ce code à personne : nous ne vous le demanderons jamais par téléphone ni dans un autre message.',
  code_not_you: 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : sans le code, la demande n’ira pas plus loin.',

  subject_identity_request: 'Demande {reference} : nous avons besoin d’informations pour confirmer votre identité',
  identity_why:
    'Pour donner suite à votre demande, nous devons nous assurer que vous êtes bien la personne concernée par les données (art. 12.6 du RGPD). Nous avons des doutes raisonnables sur votre identité, pour la raison suivante :',
  identity_needed: 'Merci de nous transmettre :',
  identity_minimal: 'Nous ne demandons que ce qui est nécessaire pour confirmer votre identité, et nous ne l’utiliserons à aucune autre fin.',
  identity_clock:
    'Dans l’attente de ces informations, le délai dont nous disposons pour vous répondre (actuellement jusqu’au {due_on}) est suspendu ; il reprendra à compter du jour où nous les recevrons.',
  identity_send: 'Vous pouvez nous les adresser à {email}, en rappelant la référence {reference}.',

  subject_extension: 'Demande {reference} : le délai de réponse est prolongé jusqu’au {date}',
  extension_intro:
    'Nous avons besoin de plus de temps pour répondre à votre demande. Comme le RGPD le permet au besoin, compte tenu de la complexité et du nombre de demandes (art. 12.3 du RGPD), nous prolongeons le délai de réponse : nous vous répondrons au plus tard le {new_due_on}, au lieu du {due_on}.',
  extension_reasons: 'Les motifs de cette prolongation sont les suivants :',

  subject_completion: 'Demande {reference} : votre demande a été traitée',
  completion_done: 'Nous avons traité votre demande. Voici ce que nous avons fait :',
  completion_download: 'Vous pouvez télécharger une copie de vos données personnelles à l’adresse suivante : {link}',
  completion_download_expiry:
    'Ce lien fonctionne jusqu’au {expires_on} inclus. Il vous est personnel : ne le communiquez à personne, car quiconque le détient peut ouvrir la copie.',

  subject_download_link: 'Demande {reference} : un nouveau lien vers votre copie',
  download_link_intro: 'Voici un nouveau lien vers la copie de vos données personnelles qui répond à votre demande. Le lien envoyé précédemment ne fonctionne plus.',

  subject_status_link: 'Demande {reference} : un nouveau lien pour suivre votre demande',
  status_link_intro: 'Voici un nouveau lien pour suivre votre demande sur notre espace vie privée : {link}',
  status_link_replaced: 'Le lien et la clé de suivi que vous aviez reçus auparavant ne fonctionnent plus.',
  status_link_not_you: 'Si vous ne nous avez pas demandé de nouveau lien, dites-le-nous : votre demande reste inchangée, et personne ne peut la suivre sans ce lien.',

  subject_refusal: 'Demande {reference} : nous ne pouvons pas donner suite à votre demande',
  refusal_intro: 'Nous avons examiné votre demande et nous ne pouvons pas y donner suite, pour les raisons suivantes :',
  refusal_complaint:
    'Vous avez le droit d’introduire une réclamation auprès d’une autorité de contrôle (art. 77 du RGPD), notamment dans l’État membre de votre résidence habituelle, de votre lieu de travail ou du lieu où la violation aurait été commise. L’autorité de contrôle compétente à notre égard est :',
  refusal_judicial:
    'Vous avez également le droit de former un recours juridictionnel effectif contre nous (art. 79 du RGPD), devant les juridictions de l’État membre dans lequel nous avons un établissement ou de celui de votre résidence habituelle.',

  subject_fee: 'Demande {reference} : des frais sont exigés pour y donner suite',
  fee_unfounded_or_excessive:
    'Nous exigeons le paiement de frais raisonnables pour donner suite à votre demande, comme le RGPD le permet pour une demande manifestement infondée ou excessive, notamment en raison de son caractère répétitif (art. 12.5.a du RGPD). Nos motifs :',
  fee_further_copy:
    'Vous demandez une copie supplémentaire de vos données personnelles : pour toute copie supplémentaire, le RGPD nous permet d’exiger le paiement de frais raisonnables basés sur les coûts administratifs (art. 15.3 du RGPD). Nos motifs :',
  fee_amount:
    'Le montant demandé est de {amount}. Il tient compte des coûts administratifs supportés pour fournir les informations ou procéder aux actions demandées.',
  fee_payment: 'Modalités de paiement : {instructions}',
  fee_then: 'Nous donnerons suite à votre demande dès réception du paiement.',
  fee_disagree:
    'Si vous contestez ces frais, vous pouvez nous écrire à {email}. Vous avez également le droit d’introduire une réclamation auprès de l’autorité de contrôle, {authority} ({reach}), et de former un recours juridictionnel effectif (art. 77 et 79 du RGPD).',
};
