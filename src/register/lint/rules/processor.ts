/**
 * Art. 30(2)(a) and Art. 26: activities carried out for, or with, other controllers.
 */
import type { Rule } from '../rule.js';
import { partyHasContact } from './art30.js';

export const missingController: Rule = {
  id: 'processor/missing-controller',
  severity: 'error',
  article: 'Art. 30(2)(a)',
  title: 'A processor activity does not name the controllers it is carried out for',
  help: 'A processor keeps a record of the processing it carries out on behalf of each controller, with the name and contact details of each (Art. 30(2)(a)). Add controllers, each with a name and a contact.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (a.role !== 'processor') return;
      if (!a.controllers?.length) {
        report(ctx.loaded.at.activity(i, 'controllers'), 'the activity is carried out as a processor but names no controller: add controllers');
        return;
      }
      a.controllers.forEach((p, k) => {
        if (!partyHasContact(p)) report(ctx.loaded.at.activity(i, 'controllers', k), 'the controller has no contact details: give contact');
      });
    });
  },
};

export const missingArrangement: Rule = {
  id: 'joint/missing-arrangement',
  severity: 'error',
  article: 'Art. 26',
  title: 'Joint controllers without their arrangement',
  help: 'Joint controllers determine their respective responsibilities in an arrangement whose essence is made available to data subjects (Art. 26(1)-(2)). Name the joint_controllers and give each the arrangement.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      if (a.role !== 'joint_controller') return;
      if (!a.joint_controllers?.length) {
        report(ctx.loaded.at.activity(i, 'joint_controllers'), 'the activity is carried out as a joint controller but names no other controller: add joint_controllers');
        return;
      }
      a.joint_controllers.forEach((p, k) => {
        if (p.arrangement === undefined) {
          report(ctx.loaded.at.activity(i, 'joint_controllers', k), 'the joint controller is named without the essence of the arrangement: add arrangement');
        }
      });
    });
  },
};

export const PROCESSOR_RULES: readonly Rule[] = [missingController, missingArrangement];
