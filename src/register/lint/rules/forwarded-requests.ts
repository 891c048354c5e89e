/**
 * Art. 28(3)(e): the controllers that forward their data subjects' requests to us, their processor.
 * A controller's API token names it by the `id` the register gives it in the controllers of its
 * activities; the request is due on the period its contract gives (`requests.answer_within_days`),
 * and runs on the systems of the activities that name that id (src/desk/controller-scope.ts). So one
 * id names one controller, with one set of terms, and terms without an id serve no request.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ControllerParty } from '../../schema.js';
import type { LintContext, Rule } from '../rule.js';

interface Named {
  activity: number;
  index: number;
  party: ControllerParty;
}

/** The controllers (of processor activities) that carry an id, grouped by it, in register order. */
function controllersById(ctx: LintContext): Map<string, Named[]> {
  const byId = new Map<string, Named[]>();
  ctx.register.activities.forEach((a, activity) => {
    if (a.role !== 'processor') return;
    (a.controllers ?? []).forEach((party, index) => {
      if (party.id === undefined) return;
      byId.set(party.id, [...(byId.get(party.id) ?? []), { activity, index, party }]);
    });
  });
  return byId;
}

const sameName = (a: string, b: string) => a.normalize('NFC').trim().toLowerCase() === b.normalize('NFC').trim().toLowerCase();

export const controllerIdConflict: Rule = {
  id: 'processor/controller-id-conflict',
  severity: 'error',
  article: 'Art. 28(3)(e)',
  title: 'One controller id names two controllers, or gives two different terms for forwarded requests',
  help: 'A controller forwards its requests with an API token that carries its id; the request runs on every activity naming that id and is due on the terms given there (Art. 28(3)(a), (e)). Give each controller its own id, the same name wherever it appears, and its requests terms once, or the same everywhere.',
  check(ctx, report) {
    for (const [id, named] of controllersById(ctx)) {
      const [first, ...others] = named;
      for (const other of others) {
        if (!sameName(first!.party.name, other.party.name)) {
          report(ctx.loaded.at.activity(other.activity, 'controllers', other.index, 'id'), `the id ${id} already names ${first!.party.name} in activity ${ctx.register.activities[first!.activity]!.id}: give ${other.party.name} an id of its own`);
        }
      }
      const withTerms = named.filter((n) => n.party.requests !== undefined);
      const terms = withTerms[0];
      for (const other of withTerms.slice(1)) {
        if (!isDeepStrictEqual({ days: 'calendar', ...terms!.party.requests }, { days: 'calendar', ...other.party.requests })) {
          report(
            ctx.loaded.at.activity(other.activity, 'controllers', other.index, 'requests'),
            `controller ${id} has other requests terms in activity ${ctx.register.activities[terms!.activity]!.id}: one contract, one period (give them once, or the same)`,
          );
        }
      }
    }
  },
};

export const requestTermsMissing: Rule = {
  id: 'processor/request-terms-missing',
  severity: 'warning',
  article: 'Art. 28(3)(e)',
  title: 'A controller with an id does not say when its forwarded requests are due',
  help: 'A request a controller forwards is answered on the period its contract with us gives, not Art. 12(3)\'s month (the controller\'s own deadline to the person). Without it the desk refuses the controller\'s requests rather than guess. Add requests: { answer_within_days: N, days: calendar | working } to the controller.',
  check(ctx, report) {
    for (const [id, named] of controllersById(ctx)) {
      if (named.some((n) => n.party.requests !== undefined)) continue;
      const first = named[0]!;
      report(ctx.loaded.at.activity(first.activity, 'controllers', first.index, 'id'), `controller ${id}: its forwarded requests are refused until the contract's period is given (requests: { answer_within_days: N })`);
    }
  },
};

export const requestTermsWithoutId: Rule = {
  id: 'processor/request-terms-without-id',
  severity: 'error',
  article: 'Art. 28(3)(e)',
  title: 'Terms for forwarded requests are given to a controller without an id',
  help: 'A controller forwards its requests with an API token that names it by its id (opendpo user token --role controller --controller <id>): terms given to a controller without an id serve no request. Give the controller an id.',
  check(ctx, report) {
    ctx.register.activities.forEach((a, i) => {
      (a.controllers ?? []).forEach((party, k) => {
        if (party.requests !== undefined && party.id === undefined) {
          report(ctx.loaded.at.activity(i, 'controllers', k, 'requests'), `${party.name} has requests terms but no id: give it the id its API token names`);
        }
      });
    });
  },
};

export const FORWARDED_REQUEST_RULES: readonly Rule[] = [controllerIdConflict, requestTermsMissing, requestTermsWithoutId];
