// state.js - what the signed-in session knows, plus shared labels and the org cache.
import { get, listAll } from './api.js';

export const state = {
  me: null,        // {user, org, permissions}
  meta: null,      // GET /api/v1/meta
  orgs: null,      // every visible org (cache; reset on sign-out and after org changes)
};

export function resetSession() {
  state.me = null;
  state.orgs = null;
}

export function can(perm) {
  return !!(state.me && state.me.permissions.includes(perm));
}

export const KIND_LABELS = {
  national_cert: 'National CERT',
  provincial_cert: 'Provincial CERT',
  sectoral_cert: 'Sectoral CERT',
  government_cert: 'Government CERT',
  cii_cert: 'CII CERT',
  institution: 'Institution',
};

export const ROLE_LABELS = {
  admin: 'Administrator',
  analyst: 'Analyst',
  reporter: 'Reporter',
  viewer: 'Viewer',
  auditor: 'Auditor',
};

// Audit actions in words (GET /api/v1/audit `action`). Every action the server can record
// (GET /api/v1/meta `audit_actions`, rb_audit_actions in src/core/audit.c) has its words here; a
// browser test fails on one without.
export const ACTION_LABELS = {
  'org.create': 'Organisation created',
  'org.update': 'Organisation changed',
  'org.move': 'Organisation moved',
  'user.create': 'User created',
  'user.password': 'Password set',
  'user.disable': 'User disabled',
  'user.enable': 'User enabled',
  'user.email_notify': 'E-mail notice setting changed',
  'session.create': 'Signed in',
  'session.failed': 'Failed sign-in',
  'session.delete': 'Signed out',
  'token.create': 'API token created',
  'token.revoke': 'API token revoked',
  'catalog.import': 'Catalog imported',
  'catalog.share': 'Catalog shared',
  'catalog.tlp': 'Catalog TLP changed',
  'profile.create': 'Profile created',
  'campaign.launch': 'Campaign launched',
  'campaign.close': 'Campaign closed',
  'assessment.create': 'Assessment created',
  'assessment.save': 'Assessment saved',
  'assessment.submit': 'Assessment submitted',
  'assessment.review': 'Assessment reviewed',
  'assessment.attach': 'Evidence file attached',
  'assessment.poam': 'Remediation plan updated',
  'incident.report': 'Incident reported',
  'incident.update': 'Incident changed',
  'incident.acknowledge': 'Incident acknowledged',
  'incident.escalate': 'Incident escalated',
  'incident.comment': 'Incident comment',
  'incident.report_stage': 'Incident report filed',
  'incident.merge': 'Incident merged',
  'incident.task_add': 'Incident task added',
  'incident.task_update': 'Incident task changed',
  'incident.task_overdue': 'Incident task overdue',
  'incident.deadline': 'Incident deadline notice',
  'incident.link': 'Incidents linked',
  'incident.attach': 'File attached to an incident',
  'incident.share': 'Incident shared',
  'incident.import': 'Incidents imported',
  'advisory.create': 'Advisory written',
  'advisory.import': 'Advisory imported (CSAF)',
  'advisory.revise': 'Advisory revised',
  'advisory.publish': 'Advisory published',
  'advisory.acknowledge': 'Advisory acknowledged',
  'advisory.not_affected': 'Not affected by an advisory',
  'advisory.affected': 'Affected by an advisory',
  'advisory.mitigating': 'Advisory mitigation under way',
  'advisory.mitigated': 'Advisory mitigated',
  'advisory.overdue': 'Advisory record overdue',
  'advisory.share': 'Advisory shared',
  'advisory.tlp': 'Advisory TLP changed',
  'advisory_policy.update': 'Advisory deadlines changed',
  'settings.namespace': 'CSAF namespace set',
  'inbox.read': 'Inbox items marked read',
  'reporting_policy.update': 'Reporting policy changed',
  'webhook.create': 'Webhook added',
  'webhook.remove': 'Webhook removed',
  'webhook.test': 'Webhook test sent',
  'inventory.add': 'Product added to the inventory',
  'inventory.update': 'Inventory item changed',
  'inventory.remove': 'Product removed from the inventory',
  'inventory.import': 'Inventory imported from a file',
  'training.create': 'Training session organised',
  'training.update': 'Training session changed',
  'training.invite': 'Organisations invited to a session',
  'training.register': 'Person registered for a session',
  'training.unregister': 'Registration taken back',
  'training.attend': 'Attendance recorded',
  'training.feedback': 'Session feedback given',
  'training.material': 'Material link added to a session',
  'training.attach': 'Material file added to a session',
  'calendar_feed.create': 'Calendar feed made',
  'calendar_feed.revoke': 'Calendar feed revoked',
  'risk.create': 'Risk recorded',
  'risk.update': 'Risk changed',
  'risk.accept': 'Risk accepted',
  'risk.import': 'Risk register imported from a file',
  'risk.share': 'Risk shared',
  'risk.tlp': 'Risk TLP changed',
  'risk_matrix.update': 'Risk matrix changed',
  'outbound.delivered': 'Notice delivered',
  'outbound.retry': 'Notice delivery to be retried',
  'outbound.failed': 'Notice delivery failed',
};

// Families of actions (the `action` filter takes "assessment." for all assessment actions).
export const ACTION_FAMILIES = [
  ['org.', 'Organisations'],
  ['user.', 'Users'],
  ['session.', 'Sign-ins and sign-outs'],
  ['token.', 'API tokens'],
  ['catalog.', 'Guideline catalogs'],
  ['profile.', 'Profiles'],
  ['campaign.', 'Campaigns'],
  ['assessment.', 'Assessments'],
  ['incident.', 'Incidents'],
  ['advisory.', 'Advisories'],
  ['inventory.', 'Inventories'],
  ['advisory_policy.', 'Advisory deadlines'],
  ['settings.', 'Settings'],
  ['inbox.', 'Inbox'],
  ['reporting_policy.', 'Reporting policy'],
  ['webhook.', 'Webhooks'],
  ['training.', 'Training sessions'],
  ['calendar_feed.', 'Calendar feeds'],
  ['inventory.', 'Inventories'],
  ['risk.', 'Risks'],
  ['risk_matrix.', 'Risk matrix'],
  ['outbound.', 'Notices sent (webhooks, e-mail)'],
];

export const OBJECT_KIND_LABELS = {
  org: 'Organisation',
  user: 'User',
  token: 'API token',
  catalog: 'Guideline catalog',
  profile: 'Profile',
  campaign: 'Campaign',
  assessment: 'Assessment',
  incident: 'Incident',
  webhook: 'Webhook',
  advisory: 'Advisory',
  inventory: 'Inventory',
  training: 'Training session',
  risk: 'Risk',
};

// "assessment.submit" -> "Assessment submitted"; an action without words: "Foo: bar baz"
export function actionLabel(action) {
  if (!action) return '—';
  if (ACTION_LABELS[action]) return ACTION_LABELS[action];
  const [kind, verb] = action.split('.');
  const k = OBJECT_KIND_LABELS[kind] || kind.replace(/_/g, ' ');
  return `${k.charAt(0).toUpperCase()}${k.slice(1)}: ${(verb || '').replace(/_/g, ' ')}`.trim();
}

export function objectKindLabel(kind) {
  return OBJECT_KIND_LABELS[kind] || (kind ? kind.replace(/_/g, ' ') : '—');
}

// The page of an object named in an audit entry, or null (tokens have none; users are listed by
// their org on the Users page). hasRoute (ctx.hasRoute) keeps links to pages that exist.
export function objectHref(entry, hasRoute) {
  const id = entry.object_id;
  if (!id) return null;
  const enc = encodeURIComponent(id);
  const candidates = {
    org: `#/orgs/${enc}`,
    catalog: `#/catalogs/${enc}`,
    profile: `#/profiles/${enc}`,
    campaign: `#/campaigns/${enc}`,
    assessment: `#/assessments/${enc}`,
    incident: `#/incidents/${enc}`,
    training: `#/trainings/${enc}`,
    advisory: `#/advisories/${enc}`,
    risk: `#/risks/${enc}`,
    user: entry.org_id && can('user_read') ? `#/users?org=${encodeURIComponent(entry.org_id)}` : null,
  };
  const href = candidates[entry.object_kind] || null;
  if (!href || !entry.object_name) return null; // no name: the reader may not read the object
  if (hasRoute && !hasRoute(href)) return null;
  if (entry.object_kind === 'campaign' && !isCert(state.me && state.me.org)) return null;
  return href;
}

// What each permission lets one do (GET /api/v1/me `permissions`), for people.
export const PERMISSION_LABELS = {
  read: 'Read what is shared with your organisation',
  report: 'Report incidents, fill in assessments and risks',
  triage: 'Triage, escalate and review',
  publish: 'Publish catalogs, profiles, campaigns and advisories',
  share: 'Share with other organisations',
  org_manage: 'Create and change organisations',
  user_manage: 'Add, disable and reset users',
  user_read: 'See the users of organisations',
  audit_read: 'Read the audit trail',
  token_own: 'Hold API tokens',
  risk_accept: 'Accept risks of your organisation, with a reason',
};
export function permissionLabel(p) { return PERMISSION_LABELS[p] || p.replace(/_/g, ' '); }

export function kindLabel(kind) { return KIND_LABELS[kind] || kind || '—'; }
export function roleLabel(role) { return ROLE_LABELS[role] || role || '—'; }
export function isCert(org) { return !!org && org.kind !== 'institution'; }

// A home panel (docs/ui.md, "Home panels") on the homes of one tier (TIERS) under a fixed title, at
// a fixed place (order: a number, or order(me) where the person's role moves it); `panel` brings the
// rest (what, link, load, …).
const TIERS = {
  institution: (me) => !isCert(me.org),
  cert: (me) => isCert(me.org),
  national: (me) => me.org.kind === 'national_cert',
  'cert-below': (me) => isCert(me.org) && me.org.kind !== 'national_cert', // a CERT below the National CERT
};
export function tierPanel(tier, id, order, title, panel) {
  return {
    id, title: () => title, show: TIERS[tier], order: typeof order === 'function' ? order : () => order, ...panel,
  };
}

export function provinceLabel(code) {
  if (!code) return '—';
  const p = state.meta && state.meta.provinces.find((x) => x.code === code);
  return p ? p.name : code;
}

export function sectorLabel(code) {
  if (!code) return '—';
  return code.charAt(0).toUpperCase() + code.slice(1);
}

export async function loadMeta() {
  if (!state.meta) state.meta = await get('/api/v1/meta', null, { auth: false });
  return state.meta;
}

export async function loadOrgs(force) {
  if (!state.orgs || force) state.orgs = await listAll('/api/v1/orgs');
  return state.orgs;
}

export function orgIndex(orgs) {
  const byId = new Map();
  const kids = new Map();
  for (const o of orgs) {
    byId.set(o.id, o);
    kids.set(o.id, []);
  }
  for (const o of orgs) {
    if (o.parent_id && kids.has(o.parent_id)) kids.get(o.parent_id).push(o);
  }
  return { byId, kids };
}

// The chain root..org (inclusive) as far as the caller can see it.
export function ancestry(byId, org) {
  const chain = [];
  const seen = new Set();
  let cur = org;
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    chain.unshift(cur);
    cur = cur.parent_id ? byId.get(cur.parent_id) : null;
  }
  return chain;
}

// Is `org` the caller's own org or below it?
export function inOwnSubtree(byId, org) {
  if (!state.me || !org) return false;
  return ancestry(byId, org).some((o) => o.id === state.me.org.id);
}

export function descendants(kids, rootId) {
  const out = [];
  const stack = [...(kids.get(rootId) || [])];
  while (stack.length) {
    const o = stack.shift();
    out.push(o);
    stack.push(...(kids.get(o.id) || []));
  }
  return out;
}
