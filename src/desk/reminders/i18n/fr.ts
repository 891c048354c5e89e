/**
 * Le texte fixe du rappel quotidien aux équipes, en français : écrit pour les personnes qui traitent
 * les demandes, non pour les personnes concernées (leurs lettres sont dans src/desk/letters/). Les
 * espaces sont écrites ordinaires : render-reminder.ts les rend insécables devant « : ; ! ? ».
 */
import type { ReminderStrings } from './en.js';

export const fr: ReminderStrings = {
  subject: 'Demandes à traiter chez {organisation} : {overdue} en retard, {due_soon} à échéance d’ici le {last_day}',
  greeting: 'Bonjour,',
  intro:
    'Voici les demandes adressées à {organisation} dont la réponse est en retard ou attendue d’ici le {last_day}, à la date du {today}. Chacune appelle une réponse dans le mois qui suit sa réception, ou au plus tard à la date annoncée à la personne si le délai a été prolongé (art. 12.3 du RGPD).',
  heading_assigned_overdue: 'Qui vous sont attribuées, en retard',
  heading_assigned_due: 'Qui vous sont attribuées, à échéance d’ici le {last_day}',
  heading_unassigned_overdue: 'Non attribuées, en retard (rappel adressé au DPO)',
  heading_unassigned_due: 'Non attribuées, à échéance d’ici le {last_day} (rappel adressé au DPO)',
  item: '{reference} · {type} · échéance le {due_on} ({days_left}) · {state}',
  due_today: 'échéance aujourd’hui',
  one_day_left: 'reste 1 jour',
  days_left: 'restent {days} jours',
  one_day_late: '1 jour de retard',
  days_late: '{days} jours de retard',
  minimal: 'Les demandes ne sont désignées ici que par leur référence : qui les a faites et ce qu’elles demandent se consultent dans opendpo.',
  footer: 'opendpo envoie ce rappel une fois par jour aux membres de l’équipe de {organisation} qui ont des demandes à traiter.',
  types: {
    access: 'Accès (art. 15)',
    portability: 'Portabilité (art. 20)',
    rectification: 'Rectification (art. 16)',
    erasure: 'Effacement (art. 17)',
    restriction: 'Limitation du traitement (art. 18)',
    lift_restriction: 'Levée d’une limitation (art. 18.3)',
    objection: 'Opposition (art. 21)',
    withdraw_consent: 'Retrait du consentement (art. 7.3)',
    automated_decision_review: 'Intervention humaine sur une décision automatisée (art. 22.3)',
    post_mortem: 'Directives post mortem (art. 85 de la loi Informatique et Libertés)',
  },
  states: {
    received: 'reçue',
    awaiting_identity: 'en attente d’informations sur l’identité',
    verified: 'identité confirmée, à décider',
    awaiting_fee: 'en attente du paiement des frais',
    approved: 'approuvée, à exécuter',
    in_progress: 'en cours d’exécution',
    failed: 'en échec, à relancer',
    completed: 'traitée',
    refused: 'refusée',
    withdrawn: 'retirée',
  },
};
