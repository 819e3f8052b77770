// Import a CSAF document (#/advisories/import): a CSAF 2.0 JSON file (a vendor's or another CERT's
// advisory) becomes a draft of the caller's CERT, or the next revision of one it holds (the same
// tracking id, a later version). The TLP may be set here instead of the document's own. A file the
// validator refuses is said in words with what it names: the test and the place in the document
// ("6.1.1 /product_tree/…: …"), so whoever made the file can fix it.
import {
  h, banner, pageHead, plainError,
} from './dom.js';
import { upload } from './api.js';
import { field, fileField } from './forms.js';
import { ADV_TLPS } from './advisories.js';

const MAX_FILE = 8 * 1024 * 1024;

// The validator's refusal, for a person: what is wrong and where in the document.
function refusal(err) {
  const msg = String(err.message || '');
  const m = /^(\S+):\s*(.*)$/.exec(msg);
  const where = err.field || (m && /^[/$#.\w[\]-]+$/.test(m[1]) ? m[1] : '');
  const what = where && m && m[1] === where ? m[2] : msg;
  return [
    h('p', null, h('strong', null, 'This file is not a CSAF 2.0 document rabta can take. '), 'Nothing was imported.'),
    h('p', { class: 'csaf-refusal', id: 'csaf-refusal-text' }, `${what.charAt(0).toUpperCase()}${what.slice(1)}`),
    where ? h('p', null, 'Where: ', h('code', { id: 'csaf-refusal-where' }, where)) : null,
    h('p', { class: 'hint' }, 'Fix the document (or ask whoever made it) and import it again.'),
  ];
}

export async function render(section, ctx) {
  document.title = 'Import a CSAF advisory · rabta';
  section.append(...pageHead({
    path: [['#/advisories', 'Advisories']], here: 'Import CSAF',
    eyebrow: 'Advisories',
    title: 'Import a CSAF advisory',
    lede: 'A CSAF 2.0 JSON file becomes a draft of your CERT; a later version of one you imported becomes its next revision. Publish it from its page.',
  }));

  const fileF = fileField({
    name: 'file', label: 'CSAF file', accept: '.json,application/json',
    hint: 'A .json file of at most 8 MiB, as vendors and CERTs publish them (csaf_version 2.0).',
  });
  const fTlp = field({
    name: 'tlp', label: 'Who may see it (TLP)', type: 'select', value: '',
    options: [{ value: '', label: 'As the document says' }, ...ADV_TLPS.map((x) => ({ value: x.value, label: x.label }))],
    hint: 'Another level than the document’s own, e.g. AMBER for a vendor notice not yet public.',
  });
  const result = h('div', { class: 'notice notice-error', id: 'import-refusal', role: 'alert', hidden: true });
  const btn = h('button', { type: 'button', class: 'btn btn-primary', id: 'import-btn' }, 'Import');
  const status = h('p', { class: 'form-status', role: 'status', id: 'import-status' });
  const fieldError = fileF.fail;

  btn.addEventListener('click', async () => {
    result.hidden = true;
    status.textContent = '';
    const got = await fileF.read({
      what: 'the CSAF file', max: MAX_FILE, limit: 'a CSAF file may be at most 8 MiB',
      check: (text) => JSON.parse(text),
      unreadable: (file, e) => `${file.name} is not JSON: ${e && e.message ? e.message : 'it could not be read'}. A CSAF document is a JSON file.`,
    });
    if (!got) return;
    const { file, text } = got;
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    status.textContent = `Importing ${file.name}…`;
    try {
      const adv = await upload('/api/v1/advisories/import', { tlp: fTlp.control.value }, new Blob([text], { type: 'application/json' }));
      banner(adv.revision > 1
        ? `${adv.tracking_id} version ${adv.version} is imported as its next revision.`
        : `${adv.tracking_id} is imported as a draft of your CERT. Check it, then publish it.`, { tone: 'ok', next: true });
      ctx.navigate(`#/advisories/${adv.id}`);
    } catch (err) {
      status.textContent = '';
      if (err && err.code === 'invalid_csaf') {
        result.replaceChildren(...refusal(err).filter(Boolean));
        result.hidden = false;
        result.setAttribute('tabindex', '-1');
        result.focus();
      } else if (err && err.code === 'conflict') {
        fieldError(`${plainError(err)} Import a later version (a higher document version) to revise it.`);
      } else if (err && err.status === 413) {
        fieldError(`${file.name} is too large for the server.`);
      } else {
        fieldError(plainError(err));
      }
    } finally {
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
    }
  });

  section.append(h('section', { class: 'panel' },
    h('div', { class: 'form import-form' }, fileF, fTlp, h('div', { class: 'form-actions' }, btn, h('a', { class: 'btn', href: '#/advisories' }, 'Cancel')), status),
    result));
}
