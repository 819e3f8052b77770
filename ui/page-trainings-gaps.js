// Training meets the gaps (#/trainings/gaps?campaign_id=&below=): for the caller's constituency,
// the guideline domains where the preparedness scores of a campaign are lowest, each beside the
// training its weak organisations have had (sessions held, sessions planned), and the
// organisations weak in it with no session on it yet — with "Draft a session", which posts a draft
// on that domain with those organisations invited and opens it (GET /api/v1/trainings/gaps).
import {
  h, plural, pageHead, loadBelow, reportPicks, banner, plainError, meterBar,
} from './dom.js';
import { get, post, listAll } from './api.js';
import { fmtScore, THIN_BASE } from './guidelines.js';
import { state, provinceLabel } from './state.js';
import { canOrganise } from './trainings.js';

const SHOW = 8; // weak organisations listed per domain before "and N more"

function inDaysUtc(days, hourUtc) {
  const d = new Date(Date.now() + days * 86400000);
  return `${d.toISOString().slice(0, 10)}T${String(hourUtc).padStart(2, '0')}:00:00Z`;
}

export async function render(section, ctx) {
  document.title = 'Training meets the gaps · rabta';
  const me = state.me;
  const below = Number(ctx.query.get('below')) || 50;
  const campaign = ctx.query.get('campaign_id') || '';
  section.append(...pageHead({
    path: [['#/trainings', 'Training sessions']], here: 'Training meets the gaps',
    eyebrow: 'Capacity building', title: 'Training meets the gaps',
    lede: `Where ${me.org.name}’s constituency scores lowest, what training those organisations have had, and who still has had none: where the next session should go.`,
  }));
  const campaigns = await listAll('/api/v1/campaigns').catch(() => []);
  const pickC = h('select', { id: 'gaps-campaign', 'aria-label': 'Scores of the campaign' },
    h('option', { value: '' }, 'The newest campaign with scores'),
    campaigns.map((c) => h('option', { value: c.id, selected: c.id === campaign ? true : null }, c.title)));
  const pickB = h('select', { id: 'gaps-below', 'aria-label': 'Weak below' },
    [40, 50, 60, 70].map((n) => h('option', { value: n, selected: n === below ? true : null }, `below ${n}`)));
  const go = () => ctx.navigate(`#/trainings/gaps?below=${pickB.value}${pickC.value ? `&campaign_id=${encodeURIComponent(pickC.value)}` : ''}`);
  section.append(reportPicks(go, [
    ['Preparedness scores of', pickC],
    ['An organisation is weak in a domain when it scores', pickB],
  ]));

  await loadBelow(section, {
    what: 'the gaps',
    load: () => get('/api/v1/trainings/gaps', { below, ...(campaign ? { campaign_id: campaign } : {}) }),
    isEmpty: (g) => !g.domains.length,
    empty: 'No campaign you may read has scored assessments in your constituency yet: the gaps appear once institutions submit their self-assessments.',
    render(g) {
      return [
        h('p', { class: 'say', id: 'gaps-summary' }, 'From ', h('strong', null, g.campaign_title), `: ${plural(g.orgs_scored, 'organisation')} scored, domains weakest first. Training counts when it is on the campaign’s guideline catalog.`),
        h('ol', { class: 'gap-domains', id: 'gap-domains' }, g.domains.map((d) => {
          const list = d.untrained_orgs.slice(0, SHOW);
          const rest = d.weak_untrained - list.length;
          const draft = canOrganise() && d.weak_untrained > 0
            ? h('button', { type: 'button', class: 'btn btn-primary btn-small', dataset: { draft: d.id } }, `Draft a session on ${d.title} for ${plural(d.weak_untrained, 'organisation')}`)
            : null;
          if (draft) {
            draft.addEventListener('click', async () => {
              draft.disabled = true;
              try {
                // Every weak organisation of the domain with no session on it (up to 500).
                const all = d.weak_untrained > d.untrained_orgs.length
                  ? (await get('/api/v1/trainings/gaps', { below, domain: d.id, limit: 500, ...(campaign ? { campaign_id: campaign } : {}) })).domains[0].untrained_orgs
                  : d.untrained_orgs;
                const t = await post('/api/v1/trainings', {
                  title: `${d.title}: closing the gap`, status: 'draft', mode: 'hybrid',
                  description: `Drafted from the gaps view: these organisations score below ${below} in ${d.title} (campaign “${g.campaign_title}”) and have had no session on it yet.`,
                  starts_at: inDaysUtc(21, 4), ends_at: inDaysUtc(21, 8), topics: [d.id], catalog_id: g.catalog_id,
                  invited_org_ids: all.map((o) => o.org_id),
                });
                banner(`A draft on ${d.title} is made with ${plural(t.invited, 'organisation')} invited. Complete it and schedule it to send the invitations.`, { tone: 'ok', next: true });
                ctx.navigate(`#/trainings/${t.id}`);
              } catch (err) {
                draft.disabled = false;
                banner(plainError(err), { tone: 'error' });
              }
            });
          }
          return h('li', { class: ['panel', 'gap-domain', d.weak_untrained ? 'has-gap' : null], dataset: { domain: d.id } },
            h('div', { class: 'panel-h' }, h('h2', { id: `gap-${d.id}` }, d.title), h('span', { class: 'gap-score' }, `mean ${fmtScore(d.mean)}`)),
            meterBar(d.mean, 100, `${d.title}: mean score ${fmtScore(d.mean)} of 100, of ${plural(d.n, 'organisation')}`),
            h('p', { class: 'say' },
              `Mean of ${plural(d.n, 'organisation')} scored${d.n < THIN_BASE ? ' · thin' : ''}. `,
              d.weak ? [h('strong', null, plural(d.weak, 'organisation')), ` score below ${below}: `,
                `${d.weak_trained} attended a session on it, ${d.weak_planned} ${d.weak_planned === 1 ? 'is' : 'are'} invited to one still to come, `,
                h('strong', { class: d.weak_untrained ? 'overdue' : null }, `${d.weak_untrained} had none`), '.'] : `No organisation scores below ${below}.`),
            h('p', { class: 'muted' }, `${plural(d.sessions_held, 'session')} held and ${plural(d.sessions_upcoming, 'session')} planned on it for your constituency.`),
            list.length ? h('ul', { class: 'gap-orgs' }, list.map((o) => h('li', { dataset: { orgId: o.org_id } },
              h('span', { class: 'gap-org' }, o.org_name), h('span', { class: 'muted' }, ` · ${provinceLabel(o.province)} · ${fmtScore(o.score)}`)))) : null,
            rest > 0 ? h('p', { class: 'muted' }, `and ${plural(rest, 'more organisation')}.`) : null,
            draft);
        })),
      ];
    },
  });
}
