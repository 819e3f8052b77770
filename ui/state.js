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

export function kindLabel(kind) { return KIND_LABELS[kind] || kind || '—'; }
export function roleLabel(role) { return ROLE_LABELS[role] || role || '—'; }
export function isCert(org) { return !!org && org.kind !== 'institution'; }

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
