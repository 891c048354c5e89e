/**
 * The fixed wording of the access package and of the portability export, in English and French.
 * Placeholders are written `{name}`. Sentences the privacy notice already says (purposes with
 * their basis, recipients, automated decisions, complaints) are taken from the notice's wording
 * (src/notice/i18n), so that both documents say the same thing the same way.
 * `PackageStrings` makes the compiler check that French gives every key.
 */
import type { Language } from '../../register/schema.js';

const en = {
  title: 'Your personal data',
  title_with_controller: 'Your personal data held by {controller}',
  request: 'Answer to your request {id} for access to your personal data (Art. 15 GDPR). The data was collected on {date}.',
  identities: 'The request was made with: {identities}.',
  footer: 'Request {id}.',
  partly_other_language: 'Parts of the register are only available in another language; they are given in it.',

  // 1. Confirmation (Art. 15(1))
  h_confirmation: '1. Confirmation',
  confirmation_yes_controller: 'Yes: {controller} processes personal data concerning you.',
  confirmation_yes: 'Yes: personal data concerning you is processed.',
  confirmation_no: 'No: no personal data concerning you was found in the {searched} tables searched with the identities you gave.',
  confirmation_counts: 'Records found: {records}. Tables holding them: {tables}. Systems: {systems}. Tables searched: {searched}.',

  h_warnings: 'Limits of this answer',
  warnings_intro: 'This answer may be incomplete for the following reasons:',
  warn_no_system: 'The data of the dataset "{dataset}" is not linked to a system of the register: no processing information can be given for it.',
  warn_system_unknown: 'The system "{system}" is not described in the register.',
  warn_system_no_activity: 'The register names no processing activity for the system "{system}": no processing information can be given for its data.',
  warn_undeclared: 'No processing activity of {system} lists this data of yours, so its purpose is not given here: {data}.',
  warn_not_searched: 'These systems of the register were not searched for this answer, as no description of their data is available: {systems}.',

  // 2. Copy of the data (Art. 15(3))
  h_data: '2. Copy of your personal data',
  data_intro:
    'Below is a copy of every record found about you, grouped by the system that holds it, then by table (Art. 15(3) GDPR). Each column is named after what it holds; amounts, dates and codes are written out. The identifiers the systems use to link records together (keys and references) and the names of the tables and columns in the systems are in the appendix, by record number.',
  data_none: 'There is no data to copy: none was found.',
  system_is_dataset: 'Data described by the dataset "{dataset}", which is not linked to a system of the register.',
  table_caption: 'Table {table} ({dataset})',
  col_record: 'No.',
  table_only_withheld: '{table}: no record of yours alone.',
  note_uncategorised: 'The organisation has not described what these columns hold: {fields}.',
  note_excluded: 'Left out of this copy: {field}. Why: {reason} (Art. 15(4) GDPR).',
  withheld_shared:
    '{count} more record(s) linked to you are shared with other people: only the part that is no one\'s personal data is shown (Art. 15(4) GDPR).',
  withheld_other_person:
    '{count} more record(s) linked to you concern another person: only the part that is no one\'s personal data is shown (Art. 15(4) GDPR).',
  withheld_caption: '{table}: records not yours alone (part shown)',
  retention_heading: 'How long these records are kept (Art. 15(1)(d) GDPR):',
  retention_worked_out: '{activity}: {rule}. Counted from "{field}", your records here are kept until {until} at the latest.',
  retention_past: '{past} of them are kept past this period: this is reported to the data protection officer.',
  retention_undated: '{undated} of them have no date to count from.',
  not_searched_intro: 'These systems of the register were not searched for this answer, as no description of their data is available; ask us if you want them searched:',
  item_not_searched: 'Not searched',
  item_retention: 'Retention of your records',
  h_appendix: 'Appendix: technical identifiers',
  appendix_intro:
    'The systems link records together with identifiers (keys and references). They are part of your data, so they are given here for each record of the copy, by its number, with the names of the tables and columns in the systems.',
  appendix_table: '{title}: table {table} of {dataset} ({system})',
  appendix_no_identifiers: '{where}: no identifier.',
  appendix_column: '{label} ({field}, {kind})',
  appendix_columns: 'Columns of this table in the system: {columns}.',
  kind_key: 'key',
  kind_reference: 'reference',
  value_empty: '(no value)',
  value_true: 'yes',
  value_false: 'no',
  value_binary: 'binary data, {bytes} bytes (base64: {base64})',

  // 3. Processing information (Art. 15(1)(a)-(h), 15(2))
  h_processing: '3. Information about the processing',
  processing_intro:
    'For each system holding your data, the register of processing activities says why the data is processed, on what legal basis, who receives it, how long it is kept and where it comes from (Art. 15(1) and (2) GDPR).',
  processing_no_register:
    'No register of processing activities was available when this answer was prepared, so it cannot say why your data is processed, on what legal basis, who receives it, how long it is kept or where it comes from. This information is due to you (Art. 15(1) GDPR): ask the controller for it.',
  processing_no_data: 'As no personal data concerning you was found, there is no processing of it to describe.',
  systems_caption: 'Where your data is held',
  col_system: 'System',
  col_hosted: 'Hosted in',
  col_operated: 'Operated by',
  col_activities: 'Processing activities',
  none: '—',
  outside_eea: 'outside the European Economic Area',
  country_outside_eea: '{country}, outside the European Economic Area',
  activity_caption: 'How your data is processed: {activity}',
  col_item: 'Item',
  col_details: 'Details',
  row_systems: 'Systems holding your data',
  row_role: 'Our role',
  row_purposes: 'Purposes',
  row_legal_bases: 'Legal basis',
  row_categories: 'Categories of personal data',
  row_recipients: 'Recipients',
  row_retention: 'Retention period',
  row_sources: 'Source of the data',
  row_transfers: 'Transfers outside the European Economic Area',
  row_automated: 'Automated decision-making',
  source_not_from_you: 'not collected from you',
  retention_for_categories: '{categories}: {rule}',
  retention_duration_from: '{duration} from {event}',
  retention_criteria: 'criteria: {text}',
  // The end of a period as a sentence, as the notice says it.
  retention_end_delete: 'then deleted',
  retention_end_anonymise: 'then anonymised',
  retention_end_archive: 'then archived',
  retention_archive: 'then archived for {duration} ({statute})',
  transfer_to: 'To {recipient}',
  h_rights: 'Your rights',
  rights_intro: 'You have the following rights over your personal data (Art. 15(1)(e) and (f) GDPR):',
  h_complaint: 'Complaint to the supervisory authority',

  // CSV zip
  csv_part: 'Part',
  csv_system: 'System',
  csv_activity: 'Activity',
  csv_item: 'Item',
  csv_details: 'Details',
  part_confirmation: '1. Confirmation',
  part_processing: '3. Processing',
  part_rights: 'Rights',
  item_processed: 'Personal data processed',
  item_statement: 'Statement',
  item_hosted: 'Hosted in',
  item_operated: 'Operated by',
  item_note: 'Note',
  item_exercise: 'How to exercise your rights',
  item_authority: 'Supervisory authority',
  yes: 'Yes',
  no: 'No',
  readme_files: 'Files in this archive:',
  readme_file_readme: 'README.txt: this file.',
  readme_file_processing:
    'processing.csv: the confirmation and the information about the processing: purposes, legal bases, categories of data, recipients, retention, sources, transfers, automated decisions, and your rights.',
  readme_file_table: '{file}: table {table} of {system}. Records: {records}. Columns: {columns}.',
  readme_format:
    'The CSV files are UTF-8 text with a byte order mark, comma-separated, with a header row giving the field names (RFC 4180).',
  readme_apostrophe:
    'A text value that starts with =, +, -, @, a tab or a carriage return is written with an apostrophe in front, so that a spreadsheet shows it as text instead of running it as a formula.',
  readme_values: 'An empty cell means the field has no value; dates are given in ISO 8601 (UTC); binary data in base64.',
  readme_warnings: 'Limits of this answer:',

  // Portability (Art. 20)
  port_title: 'Export of your personal data (data portability)',
  port_statement:
    'This export holds the personal data concerning you that you provided to us, directly or through your use of our services (observed data), where the processing is based on your consent or on a contract with you (Art. 20(1) GDPR), in a structured, commonly used and machine-readable format.',
  port_none: 'Nothing qualifies for portability: none of the data found is both provided or observed by us and processed on the basis of your consent or of a contract (Art. 20(1) GDPR).',
  port_none_no_register:
    'Nothing can be exported: without a register of processing activities it cannot be established which processing is based on consent or on a contract (Art. 20(1)(a) GDPR).',
  reason_no_register: 'No register of processing activities: the legal basis of the processing cannot be established (Art. 20(1)(a) GDPR).',
  reason_no_system: 'The dataset is linked to no system of the register, so no processing activity and no legal basis is known for it (Art. 20(1)(a) GDPR).',
  reason_no_consent_or_contract: 'No processing activity using the system "{system}" is based on consent or on a contract (Art. 20(1)(a) GDPR).',
  reason_provenance_derived: 'Derived data (computed from other data) is not data you provided (Art. 20(1) GDPR; guidelines WP242 rev.01).',
  reason_provenance_inferred: 'Inferred data is not data you provided (Art. 20(1) GDPR; guidelines WP242 rev.01).',
  reason_provenance_undeclared: 'The dataset does not say whether this field was provided by you or observed: it is left out until it says so.',
  reason_category_not_covered: 'Its data categories are not among those of the processing activities based on consent or on a contract that use the system "{system}".',
  port_csv_dataset: 'Dataset',
  port_csv_collection: 'Table',
  port_csv_field: 'Field',
  port_csv_reason: 'Reason',
  port_csv_explanation: 'Explanation',
  port_readme_file_table: '{file}: table {table} of the dataset {dataset}. Records: {records}.',
  port_readme_file_left_out: 'left-out.csv: the data found but left out of this export, and why.',
};

export type PackageStrings = { readonly [K in keyof typeof en]: string };

const fr: PackageStrings = {
  title: 'Vos données personnelles',
  title_with_controller: 'Vos données personnelles détenues par {controller}',
  request:
    "Réponse à votre demande {id} d'accès à vos données personnelles (art. 15 du RGPD). Les données ont été collectées le {date}.",
  identities: 'La demande a été faite avec : {identities}.',
  footer: 'Demande {id}.',
  partly_other_language: "Certaines parties du registre n'existent que dans une autre langue ; elles sont données dans celle-ci.",

  h_confirmation: '1. Confirmation',
  confirmation_yes_controller: 'Oui : {controller} traite des données personnelles vous concernant.',
  confirmation_yes: 'Oui : des données personnelles vous concernant sont traitées.',
  confirmation_no:
    "Non : aucune donnée personnelle vous concernant n'a été trouvée dans les {searched} tables consultées avec les identifiants que vous avez fournis.",
  confirmation_counts: 'Enregistrements trouvés : {records}. Tables qui les contiennent : {tables}. Systèmes : {systems}. Tables consultées : {searched}.',

  h_warnings: 'Limites de cette réponse',
  warnings_intro: 'Cette réponse peut être incomplète pour les raisons suivantes :',
  warn_no_system:
    "Les données du jeu de données « {dataset} » ne sont rattachées à aucun système du registre : aucune information sur leur traitement ne peut être donnée.",
  warn_system_unknown: "Le système « {system} » n'est pas décrit dans le registre.",
  warn_system_no_activity:
    "Le registre n'indique aucune activité de traitement pour le système « {system} » : aucune information sur le traitement de ses données ne peut être donnée.",
  warn_undeclared: "Aucune activité de traitement de {system} ne mentionne ces données vous concernant ; leur finalité n'est donc pas indiquée ici : {data}.",
  warn_not_searched: "Ces systèmes du registre n'ont pas été consultés pour cette réponse, faute de description de leurs données : {systems}.",

  h_data: '2. Copie de vos données personnelles',
  data_intro:
    "Voici une copie de chaque enregistrement trouvé vous concernant, regroupés par système puis par table (art. 15.3 du RGPD). Chaque colonne porte le nom de ce qu'elle contient ; les montants, les dates et les codes sont écrits en toutes lettres. Les identifiants qui relient les enregistrements entre eux dans les systèmes (clés et références) et le nom des tables et des colonnes dans les systèmes figurent en annexe, par numéro d'enregistrement.",
  data_none: "Il n'y a aucune donnée à copier : aucune n'a été trouvée.",
  system_is_dataset: "Données décrites par le jeu de données « {dataset} », qui n'est rattaché à aucun système du registre.",
  table_caption: 'Table {table} ({dataset})',
  col_record: 'N°',
  table_only_withheld: "{table} : aucun enregistrement qui ne concerne que vous.",
  note_uncategorised: "L'organisme n'a pas décrit ce que contiennent ces colonnes : {fields}.",
  note_excluded: 'Non reproduit dans cette copie : {field}. Motif : {reason} (art. 15.4 du RGPD).',
  withheld_shared:
    "{count} autre(s) enregistrement(s) lié(s) à vous sont partagés avec d'autres personnes : seule la partie qui n'est la donnée personnelle de personne est reproduite (art. 15.4 du RGPD).",
  withheld_other_person:
    "{count} autre(s) enregistrement(s) lié(s) à vous concernent une autre personne : seule la partie qui n'est la donnée personnelle de personne est reproduite (art. 15.4 du RGPD).",
  withheld_caption: '{table} : enregistrements qui ne concernent pas que vous (partie reproduite)',
  retention_heading: 'Durée de conservation de ces enregistrements (art. 15.1.d du RGPD) :',
  retention_worked_out: "{activity} : {rule}. Compté à partir de « {field} », vos enregistrements sont conservés au plus tard jusqu'au {until}.",
  retention_past: "{past} d'entre eux sont conservés au-delà de cette durée : c'est signalé au délégué à la protection des données.",
  retention_undated: "{undated} d'entre eux n'ont pas de date à partir de laquelle compter.",
  not_searched_intro:
    "Ces systèmes du registre n'ont pas été consultés pour cette réponse, faute de description de leurs données ; demandez-nous de les consulter si vous le souhaitez :",
  item_not_searched: 'Non consulté',
  item_retention: 'Conservation de vos enregistrements',
  h_appendix: 'Annexe : identifiants techniques',
  appendix_intro:
    "Les systèmes relient les enregistrements entre eux par des identifiants (clés et références). Ils font partie de vos données : ils sont donc donnés ici pour chaque enregistrement de la copie, par son numéro, avec le nom des tables et des colonnes dans les systèmes.",
  appendix_table: '{title} : table {table} de {dataset} ({system})',
  appendix_no_identifiers: '{where} : aucun identifiant.',
  appendix_column: '{label} ({field}, {kind})',
  appendix_columns: 'Colonnes de cette table dans le système : {columns}.',
  kind_key: 'clé',
  kind_reference: 'référence',
  value_empty: '(aucune valeur)',
  value_true: 'oui',
  value_false: 'non',
  value_binary: 'données binaires, {bytes} octets (base64 : {base64})',

  h_processing: '3. Informations sur le traitement',
  processing_intro:
    "Pour chaque système qui contient vos données, le registre des activités de traitement indique pourquoi elles sont traitées, sur quelle base légale, qui les reçoit, combien de temps elles sont conservées et d'où elles proviennent (art. 15.1 et 15.2 du RGPD).",
  processing_no_register:
    "Aucun registre des activités de traitement n'était disponible lors de la préparation de cette réponse : elle ne peut donc pas indiquer pourquoi vos données sont traitées, sur quelle base légale, qui les reçoit, combien de temps elles sont conservées ni d'où elles proviennent. Ces informations vous sont dues (art. 15.1 du RGPD) : demandez-les au responsable du traitement.",
  processing_no_data: "Aucune donnée personnelle vous concernant n'ayant été trouvée, il n'y a pas de traitement à décrire.",
  systems_caption: 'Où sont conservées vos données',
  col_system: 'Système',
  col_hosted: 'Hébergé en',
  col_operated: 'Exploité par',
  col_activities: 'Activités de traitement',
  none: '—',
  outside_eea: "hors de l'Espace économique européen",
  country_outside_eea: "{country}, hors de l'Espace économique européen",
  activity_caption: 'Comment vos données sont traitées : {activity}',
  col_item: 'Élément',
  col_details: 'Détail',
  row_systems: 'Systèmes contenant vos données',
  row_role: 'Notre rôle',
  row_purposes: 'Finalités',
  row_legal_bases: 'Base légale',
  row_categories: 'Catégories de données personnelles',
  row_recipients: 'Destinataires',
  row_retention: 'Durée de conservation',
  row_sources: 'Source des données',
  row_transfers: "Transferts hors de l'Espace économique européen",
  row_automated: 'Prise de décision automatisée',
  source_not_from_you: 'non collectées auprès de vous',
  retention_for_categories: '{categories} : {rule}',
  retention_duration_from: '{duration} (point de départ : {event})',
  retention_criteria: 'critères : {text}',
  retention_end_delete: 'puis supprimées',
  retention_end_anonymise: 'puis anonymisées',
  retention_end_archive: 'puis archivées',
  retention_archive: 'puis archivées pendant {duration} ({statute})',
  transfer_to: 'Vers {recipient}',
  h_rights: 'Vos droits',
  rights_intro: 'Vous disposez des droits suivants sur vos données personnelles (art. 15.1.e et 15.1.f du RGPD) :',
  h_complaint: "Réclamation auprès de l'autorité de contrôle",

  csv_part: 'Partie',
  csv_system: 'Système',
  csv_activity: 'Traitement',
  csv_item: 'Élément',
  csv_details: 'Détail',
  part_confirmation: '1. Confirmation',
  part_processing: '3. Traitement',
  part_rights: 'Droits',
  item_processed: 'Données personnelles traitées',
  item_statement: 'Déclaration',
  item_hosted: 'Hébergé en',
  item_operated: 'Exploité par',
  item_note: 'Remarque',
  item_exercise: 'Comment exercer vos droits',
  item_authority: 'Autorité de contrôle',
  yes: 'Oui',
  no: 'Non',
  readme_files: 'Fichiers de cette archive :',
  readme_file_readme: 'README.txt : ce fichier.',
  readme_file_processing:
    'processing.csv : la confirmation et les informations sur le traitement : finalités, bases légales, catégories de données, destinataires, durées de conservation, sources, transferts, décisions automatisées, et vos droits.',
  readme_file_table: '{file} : table {table} de {system}. Enregistrements : {records}. Colonnes : {columns}.',
  readme_format:
    "Les fichiers CSV sont en UTF-8 avec indicateur d'ordre des octets (BOM), séparés par des virgules, avec une ligne d'en-tête qui donne le nom des champs (RFC 4180).",
  readme_apostrophe:
    "Une valeur textuelle qui commence par =, +, -, @, une tabulation ou un retour chariot est précédée d'une apostrophe, pour qu'un tableur l'affiche comme du texte au lieu de l'exécuter comme une formule.",
  readme_values: "Une cellule vide signifie que le champ n'a pas de valeur ; les dates sont au format ISO 8601 (UTC) ; les données binaires en base64.",
  readme_warnings: 'Limites de cette réponse :',

  port_title: 'Export de vos données personnelles (portabilité)',
  port_statement:
    "Cet export contient les données personnelles vous concernant que vous nous avez fournies, directement ou par votre utilisation de nos services (données observées), lorsque le traitement est fondé sur votre consentement ou sur un contrat conclu avec vous (art. 20.1 du RGPD), dans un format structuré, couramment utilisé et lisible par machine.",
  port_none:
    "Aucune donnée ne relève de la portabilité : aucune des données trouvées n'est à la fois fournie ou observée par nous et traitée sur la base de votre consentement ou d'un contrat (art. 20.1 du RGPD).",
  port_none_no_register:
    "Rien ne peut être exporté : sans registre des activités de traitement, il n'est pas possible d'établir quels traitements sont fondés sur le consentement ou sur un contrat (art. 20.1.a du RGPD).",
  reason_no_register: "Pas de registre des activités de traitement : la base légale du traitement ne peut pas être établie (art. 20.1.a du RGPD).",
  reason_no_system:
    "Le jeu de données n'est rattaché à aucun système du registre : aucune activité de traitement ni base légale n'est connue pour lui (art. 20.1.a du RGPD).",
  reason_no_consent_or_contract: "Aucune activité de traitement utilisant le système « {system} » n'est fondée sur le consentement ou sur un contrat (art. 20.1.a du RGPD).",
  reason_provenance_derived:
    "Une donnée dérivée (calculée à partir d'autres données) n'est pas une donnée que vous avez fournie (art. 20.1 du RGPD ; lignes directrices WP242 rév.01).",
  reason_provenance_inferred: "Une donnée déduite n'est pas une donnée que vous avez fournie (art. 20.1 du RGPD ; lignes directrices WP242 rév.01).",
  reason_provenance_undeclared:
    "Le jeu de données n'indique pas si ce champ a été fourni par vous ou observé : il est écarté tant qu'il ne le précise pas.",
  reason_category_not_covered:
    "Ses catégories de données ne figurent pas parmi celles des activités de traitement fondées sur le consentement ou sur un contrat qui utilisent le système « {system} ».",
  port_csv_dataset: 'Jeu de données',
  port_csv_collection: 'Table',
  port_csv_field: 'Champ',
  port_csv_reason: 'Motif',
  port_csv_explanation: 'Explication',
  port_readme_file_table: '{file} : table {table} du jeu de données {dataset}. Enregistrements : {records}.',
  port_readme_file_left_out: 'left-out.csv : les données trouvées mais écartées de cet export, et pourquoi.',
};

export const PACKAGE_STRINGS: Readonly<Record<Language, PackageStrings>> = { en, fr };

/** Fills `{name}` placeholders with plain text (the writers escape for their format). */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

/** "28 November 2026, 03:23 UTC" / "28 novembre 2026 à 03:23 UTC"; the text itself if it is no date. */
export function formatInstant(iso: string, lang: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  return `${f.format(d)} UTC`;
}
