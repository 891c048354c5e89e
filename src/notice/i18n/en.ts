/**
 * The fixed wording of the privacy notice, in English. Placeholders are written `{name}` and
 * filled by the renderer with values from the register (escaped for the output format).
 * Every key here must exist in fr.ts: `NoticeStrings` makes the compiler check it.
 */
export const en = {
  title: 'Privacy notice',
  title_with_org: 'Privacy notice of {organisation}',
  skip_link: 'Skip to content',
  toc: 'Contents',
  effective_date: 'Effective date: {date}',
  generated_at: 'Generated on {date} from the register of processing activities.',
  translation_note: 'Parts of this notice are only available in another language; they are marked as such.',

  // Introduction
  h_introduction: 'Introduction',
  intro_fixed:
    'This notice explains how {organisation} processes your personal data, why, on what legal basis, who receives it, how long it is kept, and the rights you have under the General Data Protection Regulation (GDPR, Regulation (EU) 2016/679), Articles 13 and 14.',

  // Who processes your data
  h_who: 'Who processes your personal data',
  controller_is: 'The controller of your personal data is {name}',
  controller_legal_form: ', {legal_form}',
  controller_registration: ', registered with {register} under number {number}',
  controller_address: ', whose registered office is at {address}',
  controller_contact: 'You can contact us:',
  h_dpo: 'Data protection officer',
  dpo_intro: 'For any question about the protection of your personal data, you can contact our data protection officer (DPO):',
  dpo_named: 'Our data protection officer is {name}.',
  // French agrees the title with the DPO (organisation.yaml, dpo.addressed_as); English has one form.
  h_dpo_feminine: 'Data protection officer',
  dpo_intro_feminine: 'For any question about the protection of your personal data, you can contact our data protection officer (DPO):',
  dpo_named_feminine: 'Our data protection officer is {name}.',
  exercise_dpo_feminine: 'You can exercise your rights by contacting our data protection officer (see above).',
  h_representative: 'Representative in the European Union',
  representative_is: 'Our representative in the European Union (Art. 27 GDPR) is {name}.',
  h_joint_controllers: 'Joint controllers',
  joint_intro:
    'For the activities below, we decide why and how your data is processed together with other organisations (joint controllers, Art. 26 GDPR). You can exercise your rights with each of them.',
  joint_item: '{activity}: {parties}',
  arrangement: 'Essence of the arrangement: {text}',
  h_processor_for: 'Where we act as a processor',
  processor_intro:
    'For the activities below, we process personal data only on behalf of other organisations, which are the controllers (Art. 28 GDPR): they decide why and how the data is processed, and requests about your rights are best addressed to them.',
  processor_item: '{activity}: on behalf of {parties}',

  // Contact lines
  contact_email: 'By email: {value}',
  contact_post: 'By post: {value}',
  contact_phone: 'By telephone: {value}',
  contact_web: 'Online: {value}',

  // Definitions
  h_definitions: 'Definitions',
  definitions_intro: 'In this notice, the following words have the meaning the GDPR gives them:',
  def_personal_data: 'Personal data',
  def_personal_data_text:
    'Any information relating to an identified or identifiable natural person, directly or indirectly (Art. 4(1) GDPR).',
  def_processing: 'Processing',
  def_processing_text:
    'Any operation performed on personal data, such as collection, recording, organisation, storage, consultation, use, disclosure or erasure (Art. 4(2) GDPR).',
  def_controller: 'Controller',
  def_controller_text: 'The person or organisation that determines the purposes and means of the processing (Art. 4(7) GDPR).',
  def_processor: 'Processor',
  def_processor_text: 'A person or organisation that processes personal data on behalf of the controller (Art. 4(8) GDPR).',
  def_recipient: 'Recipient',
  def_recipient_text: 'A person or organisation to which personal data is disclosed (Art. 4(9) GDPR).',
  def_data_subject: 'Data subject',
  def_data_subject_text: 'The natural person whose personal data is processed: you.',
  def_legal_basis: 'Legal basis',
  def_legal_basis_text: 'The ground, among those listed in Art. 6(1) GDPR, that makes a processing lawful.',
  def_retention: 'Retention period',
  def_retention_text:
    'How long personal data is kept: no longer than necessary for the purposes for which it is processed (Art. 5(1)(e) GDPR).',
  def_dpo: 'Data protection officer (DPO)',
  def_dpo_text:
    'The person who informs and advises the organisation on its data protection obligations, monitors compliance and is your point of contact (Art. 37-39 GDPR).',

  // Processing, by source
  h_source_data_subject: 'Data collected from you',
  h_source_third_party: 'Data collected from third parties',
  h_source_public: 'Data collected from public sources',
  h_source_unstated: 'Other processing',
  source_intro_data_subject: 'This data is obtained directly from you, in the following contexts.',
  source_intro_third_party: 'This data is obtained from third parties, in the following contexts (Art. 14 GDPR).',
  source_intro_public: 'This data is obtained from publicly accessible sources, in the following contexts (Art. 14 GDPR).',
  source_intro_unstated: 'The register does not state where the data for the following activities comes from.',
  source_also_one: 'Also concerned, described above: {activities}.',
  source_also_many: 'Also concerned, described above: {activities}.',
  row_not_stated: 'not stated',
  retention_not_stated_general: 'not stated for this activity: the general criteria under “How long we keep your data” apply',
  processor_requests:
    'Requests about your rights concerning this data go to the controller; we help them answer (Art. 28(3)(e) GDPR). If you write to us, we pass your request on to them.',
  table_caption: 'How we process your data: {activity}',
  col_item: 'Item',
  col_details: 'Details',
  row_source: 'Source of the data',
  row_role: 'Our role',
  row_operations: 'Processing operations',
  row_purposes: 'Purposes',
  row_legal_bases: 'Legal basis',
  row_special_conditions: 'Condition for special categories of data',
  row_data_categories: 'Categories of personal data',
  row_data_subjects: 'People concerned',
  row_recipients: 'Recipients',
  row_retention: 'Retention period',
  purpose_with_basis: '{purpose} — legal basis: {basis}',
  basis_interest: 'Legitimate interest pursued: {text}',
  basis_withdrawal: 'You can withdraw your consent at any time: {text}',
  basis_law: 'Law: {text}',
  special_category_mark: 'special category of data: {category}',
  special_category_incidental: 'may incidentally reveal a special category of data: {category}',
  criminal_mark: 'data relating to criminal convictions and offences (Art. 10 GDPR)',
  role_processor:
    'Processor (Art. 28 GDPR): we process this data on behalf of {controllers}, who decides why and how it is processed.',
  role_processor_many:
    'Processor (Art. 28 GDPR): we process this data on behalf of {controllers}, who decide why and how it is processed.',
  role_processor_unnamed: 'Processor (Art. 28 GDPR): we process this data on behalf of other controllers.',
  role_joint: 'Joint controller (Art. 26 GDPR), with {parties}.',
  role_joint_unnamed: 'Joint controller (Art. 26 GDPR).',
  recipients_group: '{kind}: {names}',
  source_kind_with_explanation: '{kind}: {explanation}',
  source_categories: 'Data concerned: {categories}.',

  // Recipients summary
  h_recipients: 'Recipients of your data',
  recipients_intro: 'Depending on the activity (see the tables above), your data may be disclosed to the following recipients.',
  recipients_none: 'The register names no recipient of your data.',
  recipient_kind_internal: 'Teams within our organisation',
  recipient_kind_processor: 'Our processors (service providers acting on our instructions)',
  recipient_kind_third_party: 'Third parties',
  recipient_kind_public_authority: 'Public authorities',
  recipient_kind_joint_controller: 'Joint controllers',
  recipient_in_country: '{name} ({country})',
  sub_processor_of: '{name}, sub-processor of {processor}',

  // Retention
  h_retention: 'How long we keep your data',
  retention_intro: 'Your data is kept for no longer than necessary for the purposes for which it is processed (Art. 5(1)(e) GDPR).',
  retention_none: 'The register gives no retention period for the activities described in this notice.',
  retention_for_categories: '{categories}: {rule}',
  retention_duration: '{duration}',
  retention_duration_from: '{duration} from {event}',
  retention_criteria: 'criteria: {text}',
  retention_end_delete: 'then deleted',
  retention_end_anonymise: 'then anonymised',
  retention_end_archive: 'then archived',
  retention_archive: 'then archived for {duration} ({statute})',
  activity_item: '{activity}: {text}',

  // Rights
  h_rights: 'Your rights',
  rights_intro:
    'You have the following rights over your personal data. Some depend on the legal basis of the processing: where that is the case, the activities concerned are named.',
  right_applies_to: 'This applies to: {activities}.',
  right_applies_to_many: 'This applies to: {activities}.',
  h_exercise: 'How to exercise your rights',
  exercise_intro: 'You can exercise your rights through the following channels:',
  exercise_dpo: 'You can exercise your rights by contacting our data protection officer (see above).',
  exercise_none: 'The register names no channel for exercising your rights.',
  exercise_free:
    'Exercising your rights is free of charge. Only where a request is manifestly unfounded or excessive, in particular because it is repetitive, may we charge a reasonable fee based on our administrative costs or refuse to act on it (Art. 12(5) GDPR).',
  exercise_identity:
    'We ask for additional information to confirm your identity only when we have reasonable doubts about it (Art. 12(6) GDPR).',
  exercise_delay:
    'We answer within one month of receiving your request. Where necessary, given the complexity and number of requests, this period may be extended by two further months; we will then tell you so, with the reasons, within the first month (Art. 12(3) GDPR).',

  // Provision
  h_provision: 'If you do not provide your data',
  provision_intro: 'Where we collect data from you, whether you must provide it, and what happens if you do not (Art. 13(2)(e) GDPR):',
  provision_none: 'The register does not say, for the activities described here, whether providing your data is required.',
  provision_item: '{requirement}',
  provision_item_consequences: '{requirement}. {consequences}',

  // Automated decisions
  h_automated: 'Automated decision-making',
  automated_none:
    'None of the processing described in this notice involves decisions based solely on automated processing, including profiling (Art. 22 GDPR).',
  automated_none_others: 'The other activities described in this notice involve no decision based solely on automated processing.',
  automated_not_stated: 'The register does not state whether the following activities involve decisions based solely on automated processing: {activities}.',
  automated_not_stated_all: 'The register does not state whether the activities described in this notice involve decisions based solely on automated processing.',
  automated_logic: 'Logic involved: {text}',
  automated_consequences: 'Significance and envisaged consequences for you: {text}',
  automated_safeguards: 'Your safeguards: {text}',
  automated_legal_effect: 'This decision produces legal effects concerning you or similarly significantly affects you (Art. 22 GDPR).',
  automated_profiling: 'It involves profiling.',
  automated_exception: 'Ground for this decision: {exception}.',
  automated_art22_3:
    'You can obtain human intervention on our part, express your point of view and contest the decision (Art. 22(3) GDPR).',

  // Security
  h_security: 'Security of your data',
  security_measures_intro: 'The technical and organisational measures we apply include (Art. 32 GDPR):',
  security_none: 'The register describes no security measure.',

  // Cookies
  h_cookies: 'Cookies',
  cookies_text: 'For information on cookies and similar trackers, please read our cookie policy: {url}',

  // Transfers
  h_transfers: 'Transfers outside the European Economic Area',
  transfers_intro: 'Your data may be transferred outside the European Economic Area (EEA), with the following safeguards (Art. 44-49 GDPR).',
  transfers_none: 'Your personal data is not transferred outside the European Economic Area (EEA).',
  transfers_not_stated: 'The register does not state whether data is transferred outside the European Economic Area (EEA) for the following activities: {activities}.',
  transfers_not_stated_all: 'The register does not state whether data is transferred outside the European Economic Area (EEA).',
  transfers_caption: 'Transfers outside the EEA and their safeguards',
  col_activity: 'Activities',
  col_recipient: 'Recipient',
  col_country: 'Country',
  col_safeguard: 'Safeguard',
  not_stated: 'not stated',
  scc_module: 'module {module}',
  documentation: 'More information: {url}',

  // Complaints
  h_complaints: 'Complaints to the supervisory authority',
  complaints_intro:
    'If you consider that the processing of your personal data infringes the GDPR, you have the right to lodge a complaint with a supervisory authority, in particular in the Member State of your habitual residence, place of work or of the alleged infringement (Art. 77 GDPR).',
  complaints_authority: 'The competent supervisory authority is {name}.',
  authority_address: 'Address: {address}',
  authority_url: 'Website: {url}',

  // Duration units
  unit_year: 'year',
  unit_years: 'years',
  unit_month: 'month',
  unit_months: 'months',
  unit_week: 'week',
  unit_weeks: 'weeks',
  unit_day: 'day',
  unit_days: 'days',
  and: 'and',
  colon: ': ',
  semicolon: '; ',
  list_separator: ', ',
  /** How GDPR article references are written: 6(1)(a) in English, 6.1.a in French (CNIL usage). */
  article_style: 'parens',
  article_gdpr: 'Art. {article} GDPR',
};

/** Every key of the English wording, each a string: the French file must provide all of them. */
export type NoticeStrings = { readonly [K in keyof typeof en]: string };
