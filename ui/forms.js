// forms.js - labelled fields with hint and error slots; API errors shown next to the named field,
// in plain words.
//
//   field({name, label, type, hint, options: [{value, label}], value, required, autocomplete, …})
//       -> <div class="field"> with <label>, the control (.control), a hint and an error slot wired
//          with aria-describedby. type: text (default), email, password, number, date, search,
//          datetime-local, select, checkbox, textarea (rows, maxlength).
//   form({class, ariaLabel, submitLabel, onSubmit(values, formEl), extraActions}, ...fields)
//       -> a <form novalidate> with a form-level alert and a status line; onSubmit may throw an
//          ApiError: its words go next to the field the API names (if it is in this form, which
//          then gets aria-invalid and focus), else to the form's alert. While onSubmit runs the
//          submit button is disabled and says so (aria-busy).
//   values(formEl)                   -> {name: value} (checkboxes as booleans)
//   showError(formEl, err)           show an error as above (plain words, never a raw field name)
//   fieldError(formEl, name, text)   show your own sentence next to a field
//   clearErrors(formEl)
//   fileField({label, accept, hint, name, id})
//       -> a labelled file input (.field.upload-field) with its hint and error slot; .control is the
//          input, .fail(text) shows text at it (aria-invalid, focus), .clear() hides it again,
//          await .read({what, max, limit, check, unreadable}) -> {file, text} or null (said at it).
//   errorText(err)                   the same plain words, for errors shown outside a form
//                                    (= plainError in dom.js; FIELD_WORDS there has the field names)
import { h, uid, plainError } from './dom.js';

export { plainError as errorText };

// field({name, label, type, hint, options:[{value,label}], value, required, autocomplete, ...})
export function field(spec) {
  const id = spec.id || uid(`f-${spec.name}`);
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const describedBy = [spec.hint ? hintId : null, errId].filter(Boolean).join(' ');
  let control;
  if (spec.type === 'select') {
    control = h('select', { id, name: spec.name, 'aria-describedby': describedBy, required: spec.required },
      (spec.options || []).map((o) => h('option', { value: o.value, selected: spec.value !== undefined && String(o.value) === String(spec.value) ? true : null }, o.label)));
  } else if (spec.type === 'textarea') {
    control = h('textarea', {
      id, name: spec.name, 'aria-describedby': describedBy, required: spec.required, rows: spec.rows || 3,
      maxlength: spec.maxlength, placeholder: spec.placeholder, spellcheck: spec.spellcheck,
    });
    if (spec.value !== undefined && spec.value !== null) { control.value = String(spec.value); control.defaultValue = String(spec.value); }
  } else if (spec.type === 'checkbox') {
    control = h('input', { id, name: spec.name, type: 'checkbox', 'aria-describedby': describedBy, checked: !!spec.value });
  } else {
    control = h('input', {
      id, name: spec.name, type: spec.type || 'text', 'aria-describedby': describedBy,
      autocomplete: spec.autocomplete, required: spec.required, value: spec.value,
      min: spec.min, max: spec.max, inputmode: spec.inputmode, spellcheck: spec.spellcheck,
      placeholder: spec.placeholder, maxlength: spec.maxlength, step: spec.step,
    });
  }
  // the required marker is CSS (label.is-required::after), so the label's text stays the field name
  const label = h('label', { for: id, class: spec.required ? 'is-required' : null }, spec.label);
  const hint = spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null;
  const err = h('p', { class: 'field-error', id: errId, hidden: true, dataset: { errorFor: spec.name } });
  const wrap = spec.type === 'checkbox'
    ? h('div', { class: ['field', 'field-check', spec.class] }, control, label, hint, err)
    : h('div', { class: ['field', spec.class] }, label, control, hint, err);
  wrap.control = control;
  return wrap;
}

// A file input with its label, hint and error slot (the uploads: CSAF import, inventory CSV).
export function fileField(spec) {
  const id = spec.id || uid(`f-${spec.name || 'file'}`);
  const control = h('input', {
    type: 'file', id, name: spec.name || 'file', accept: spec.accept, 'aria-describedby': `${id}-hint ${id}-error`,
  });
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const wrap = h('div', { class: 'field upload-field' },
    h('label', { for: id, class: 'is-required' }, spec.label), control,
    h('p', { class: 'hint', id: `${id}-hint` }, spec.hint), err);
  wrap.control = control;
  wrap.fail = (text) => {
    err.textContent = text;
    err.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    control.focus();
  };
  wrap.clear = () => {
    err.hidden = true;
    control.removeAttribute('aria-invalid');
  };
  // The chosen file and its text ({file, text}), or null once the field says what is wrong: none
  // chosen ("Choose the CSV file first."), larger than max bytes ("… is too large: <limit>."), or
  // not read; check(text) may throw to refuse the text, and unreadable(file, err) words both.
  wrap.read = async ({
    what, max, limit, check = () => {}, unreadable = (file) => `${file.name} could not be read.`,
  }) => {
    wrap.clear();
    const file = control.files && control.files[0];
    if (!file) { wrap.fail(`Choose ${what} first.`); return null; }
    if (file.size > max) { wrap.fail(`${file.name} is too large: ${limit}.`); return null; }
    try {
      const text = await file.text();
      check(text);
      return { file, text };
    } catch (e) {
      wrap.fail(unreadable(file, e));
      return null;
    }
  };
  return wrap;
}

// A form with a form-level alert slot and a submit button; onSubmit(values, form) may throw ApiError.
export function form(spec, ...fields) {
  const alert = h('div', { class: 'form-alert', role: 'alert', hidden: true });
  const status = h('div', { class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, spec.submitLabel || 'Save');
  const el = h('form', { class: ['form', spec.class], novalidate: true, 'aria-label': spec.ariaLabel },
    alert, fields, h('div', { class: 'form-actions' }, submit, spec.extraActions || null), status);
  el.alertEl = alert;
  el.statusEl = status;
  el.submitEl = submit;
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(el);
    status.textContent = '';
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    try {
      await spec.onSubmit(values(el), el);
    } catch (err) {
      showError(el, err);
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });
  return el;
}

export function values(formEl) {
  const out = {};
  for (const c of formEl.elements) {
    if (!c.name) continue;
    out[c.name] = c.type === 'checkbox' ? c.checked : c.value;
  }
  return out;
}

export function clearErrors(formEl) {
  formEl.alertEl.hidden = true;
  formEl.alertEl.textContent = '';
  for (const e of formEl.querySelectorAll('.field-error')) {
    e.hidden = true;
    e.textContent = '';
  }
  for (const c of formEl.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
}

// Put an error next to its field when the API names one that is in the form; else in the form alert.
export function showError(formEl, err) {
  const message = err && err.plain ? err.message : plainError(err);
  const name = err && err.field;
  const control = name ? formEl.elements.namedItem(name) : null;
  if (control && control.id) {
    const slot = formEl.querySelector(`#${CSS.escape(control.id)}-error`);
    if (slot) {
      slot.textContent = message;
      slot.hidden = false;
      control.setAttribute('aria-invalid', 'true');
      control.focus();
      return;
    }
  }
  formEl.alertEl.textContent = message;
  formEl.alertEl.hidden = false;
}

export function fieldError(formEl, name, message) {
  showError(formEl, { field: name, message, plain: true });
}
