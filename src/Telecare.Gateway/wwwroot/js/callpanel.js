// The call panel: who the resident is, what happened, and every action on the call. The record comes
// from GET /api/v1/calls/{id} (and /timeline); actions go through the dispatch hub and each shows its
// result or its error right here.
import { api, reason } from './api.js';
import { el, clear, fill, clock, time, dateTime, humanEvent, showResult } from './dom.js';
import { scriptFor } from './scripts.js';

const defaultOutcomes = ['no-action-needed', 'advice-given', 'responder-attended', 'emergency-services', 'false-alarm', 'resident-ok-on-callback', 'admitted-to-hospital'];
const closedStates = new Set(['Resolved', 'Closed', 'Cancelled']);

const pick = (obj, ...names) => {
  for (const n of names) if (obj && obj[n] !== undefined && obj[n] !== null) return obj[n];
  return undefined;
};
const list = (v) => (Array.isArray(v) ? v : []);

export class CallPanel {
  constructor(root, live, store, now) {
    this.root = root;
    this.live = live;
    this.store = store;
    this.now = now;
    this.id = null;
    this.record = null;
    this.loading = 0;
  }

  async show(id, handlers) {
    this.id = id;
    this.handlers = handlers;
    const ticket = ++this.loading;
    const call = this.store.get(id);
    this.renderSkeleton(call);
    try {
      const [record, timeline] = await Promise.all([
        api(`/api/v1/calls/${id}`),
        api(`/api/v1/calls/${id}/timeline`).catch((e) => ({ error: reason(e) })),
      ]);
      if (ticket !== this.loading) return;
      this.record = await this.enrich(record || {});
      if (ticket !== this.loading) return;
      this.timeline = timeline;
      this.render();
    } catch (error) {
      if (ticket !== this.loading) return;
      this.record = null;
      this.result(false, `Could not load the call record: ${reason(error)}`);
    }
  }

  /** The call record is the queue's view: the resident's record and the responders come from their own APIs. */
  async enrich(record) {
    const call = record.call || record;
    const out = { ...record };
    const [resident, responders] = await Promise.all([
      !record.resident && call.residentId != null ? api(`/api/v1/residents/${call.residentId}`).catch(() => null) : null,
      !record.responders ? api('/api/v1/responders').catch(() => null) : null,
    ]);
    if (resident) {
      out.resident = { ...resident, name: resident.name || [resident.firstName, resident.lastName].filter(Boolean).join(' ') };
    }
    if (Array.isArray(responders)) {
      out.responders = responders.filter((p) => p.active !== false).map((p) => ({
        ...p,
        status: p.onDuty ? 'on duty' : 'off duty',
        suggested: Boolean(p.onDuty && call.zoneId != null && p.zoneId === call.zoneId),
      })).sort((a, b) => Number(b.suggested) - Number(a.suggested) || Number(b.onDuty) - Number(a.onDuty));
    }
    return out;
  }

  /** The call as the queue holds it (live), else as the record had it. */
  call() {
    return this.store.get(this.id) || (this.record && (this.record.call || this.record)) || null;
  }

  renderSkeleton(call) {
    fill(this.root, 
      el('div', { class: 'panel-head', id: 'panel-head' }),
      el('p', { id: 'action-result', class: 'result', 'aria-live': 'polite' }),
      el('p', { class: 'muted' }, 'Loading the call…'));
    this.refreshHeader(call);
  }

  refreshHeader(call = this.call()) {
    const head = this.root.querySelector('#panel-head');
    if (!head || !call) return;
    const claim = call.state === 'Raised'
      ? el('button', { type: 'button', class: 'primary claim', id: 'panel-claim', onclick: (e) => this.handlers.claim(e.currentTarget) }, 'Claim this call')
      : null;
    fill(head, 
      el('div', { class: 'row' },
        el('span', { class: `prio p${call.priority}` }, `P${call.priority}`),
        el('h2', {}, humanEvent(call.eventType), call.residentName ? ` — ${call.residentName}` : ''),
        el('span', { class: 'spacer' }),
        el('span', { class: 'panel-clock', id: 'panel-clock', dataset: { raisedAt: call.raisedAt } }, '')),
      el('div', { class: 'row muted' },
        el('span', { id: 'panel-state', dataset: { state: call.state } }, `Call ${call.id} · ${call.state}`),
        call.answeredBy ? el('span', {}, ` · answered by ${call.answeredBy}${call.answeredAt ? ' at ' + time(call.answeredAt) : ''}`) : null,
        call.responderName ? el('span', {}, ` · responder ${call.responderName}`) : null,
        call.emergencyServicesCalled ? el('span', { class: 'tag danger' }, 'emergency services called') : null,
        call.rule ? el('span', { class: 'small' }, ` · rule ${call.rule}`) : null),
      claim);
    this.tick();
  }

  tick() {
    const c = this.root.querySelector('#panel-clock');
    if (c && c.dataset.raisedAt) c.textContent = clock(this.now() - Date.parse(c.dataset.raisedAt));
  }

  onUpdated(call) {
    this.refreshHeader(call);
    this.renderActions();
    this.reloadTimeline();
  }

  onClosed(closed) {
    this.result(true, `Call ${closed.id} is ${closed.state === 'Closed' ? 'closed' : closed.state.toLowerCase()} and has left the queue.`);
    this.reloadTimeline();
    const actions = this.root.querySelector('#panel-actions');
    if (actions) fill(actions, el('p', { class: 'muted' }, 'This call is closed.'));
  }

  result(ok, text) {
    showResult(this.root.querySelector('#action-result'), ok, text);
  }

  async reloadTimeline() {
    if (this.id === null) return;
    const id = this.id;
    try {
      const timeline = await api(`/api/v1/calls/${id}/timeline`);
      if (id !== this.id) return;
      this.timeline = timeline;
      this.renderTimeline();
    } catch { /* the last timeline stays; actions still work */ }
  }

  // --- the whole panel -------------------------------------------------------------------------

  render() {
    const call = this.call();
    const r = this.record || {};
    const resident = pick(r, 'resident') || {};
    const result = this.root.querySelector('#action-result');
    const keep = result ? { text: result.textContent, className: result.className } : null;
    fill(this.root, 
      el('div', { class: 'panel-head', id: 'panel-head' }),
      el('p', { id: 'action-result', class: keep ? keep.className : 'result', 'aria-live': 'polite' }, keep ? keep.text : ''),
      el('section', { id: 'panel-actions', class: 'panel-actions' }),
      this.residentSection(resident, call),
      this.scriptSection(call),
      this.contactsSection(resident, r),
      this.devicesSection(r),
      this.signalsSection(r),
      this.recentSection(r),
      el('section', { class: 'card' }, el('h3', {}, 'Timeline'), el('ol', { id: 'timeline', class: 'timeline' })));
    this.refreshHeader(call);
    this.renderActions();
    this.renderTimeline();
  }

  residentSection(resident, call) {
    const flags = list(pick(resident, 'flags') || (call && call.flags));
    const residentId = pick(resident, 'id') ?? (call && call.residentId);
    const access = el('div', { id: 'access-details', class: 'access' },
      residentId !== undefined && residentId !== null
        ? el('button', { type: 'button', id: 'reveal-access', onclick: () => this.revealAccess(residentId) }, 'Reveal access details (key safe)')
        : el('span', { class: 'muted' }, 'No resident on this call.'),
      el('span', { class: 'muted small' }, ' Each reveal is recorded against your name.'));
    return el('section', { class: 'card', id: 'resident' },
      el('h3', {}, 'Resident'),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Name'), el('dd', { id: 'resident-name' }, pick(resident, 'name') || (call && call.residentName) || 'Unknown'),
        el('dt', {}, 'Address'), el('dd', { id: 'resident-address' }, [pick(resident, 'address') || (call && call.address), pick(resident, 'postcode')].filter(Boolean).join(', ') || '—'),
        el('dt', {}, 'Phone'), el('dd', {}, pick(resident, 'phone') || '—'),
        el('dt', {}, 'Zone'), el('dd', {}, pick(resident, 'zoneName') || (call && call.zoneName) || '—'),
        el('dt', {}, 'Flags'), el('dd', {}, flags.length ? flags.map((f) => el('span', { class: 'flag' }, f)) : '—'),
        el('dt', {}, 'Medical notes'), el('dd', { id: 'medical-notes', class: 'notes' }, pick(resident, 'medicalNotes') || '—'),
        el('dt', {}, 'Access'), el('dd', {}, access)));
  }

  scriptSection(call) {
    if (!call) return null;
    return el('section', { class: 'card script', id: 'script' },
      el('h3', {}, `Script: ${humanEvent(call.eventType)}`),
      el('ol', {}, scriptFor(call.eventType, call.kind).map((line) => el('li', {}, line))));
  }

  contactsSection(resident, r) {
    const contacts = list(pick(resident, 'contacts'));
    return el('section', { class: 'card', id: 'contacts' },
      el('h3', {}, 'Contacts and keyholders'),
      contacts.length === 0 ? el('p', { class: 'muted' }, 'No contacts recorded.')
        : el('table', { class: 'mini' }, el('tbody', {}, contacts.map((c) => el('tr', {},
          el('td', {}, el('strong', {}, pick(c, 'name') || '?')),
          el('td', {}, pick(c, 'relationship') || ''),
          el('td', {}, pick(c, 'phone') || ''),
          el('td', {}, pick(c, 'isKeyholder') ? el('span', { class: 'tag' }, 'keyholder') : ''))))));
  }

  devicesSection(r) {
    const devices = list(pick(r, 'devices'));
    return el('section', { class: 'card', id: 'devices' },
      el('h3', {}, 'Devices'),
      devices.length === 0 ? el('p', { class: 'muted' }, 'No devices recorded.')
        : el('table', { class: 'mini' }, el('tbody', {}, devices.map((d) => el('tr', {},
          el('td', {}, pick(d, 'deviceId')),
          el('td', {}, pick(d, 'type') || ''),
          el('td', {}, 'last check-in ', dateTime(pick(d, 'lastCheckIn')) || 'never'),
          el('td', {}, pick(d, 'battery') !== undefined ? `battery ${pick(d, 'battery')}%` : ''),
          el('td', {}, pick(d, 'testMode') ? el('span', { class: 'tag' }, 'test mode') : pick(d, 'status') !== 'active' ? el('span', { class: 'tag danger' }, pick(d, 'status')) : ''))))));
  }

  signalsSection(r) {
    const signals = list(pick(r, 'signals'));
    return el('section', { class: 'card', id: 'signals' },
      el('h3', {}, 'Signals on this call'),
      signals.length === 0 ? el('p', { class: 'muted' }, 'No signals (raised by hand).')
        : el('ol', { class: 'timeline' }, signals.map((s) => el('li', {},
          el('time', {}, time(pick(s, 'receivedAt'))), ' ', humanEvent(pick(s, 'eventType')),
          pick(s, 'restore') ? ' (restore)' : '', pick(s, 'deviceId') ? el('span', { class: 'muted' }, ` from ${pick(s, 'deviceId')}`) : null,
          pick(s, 'source') ? el('span', { class: 'muted' }, ` via ${pick(s, 'source')}`) : null))));
  }

  recentSection(r) {
    const recent = list(pick(r, 'recentCalls'));
    return el('section', { class: 'card', id: 'recent-calls' },
      el('h3', {}, 'Recent calls'),
      recent.length === 0 ? el('p', { class: 'muted' }, 'No earlier calls.')
        : el('table', { class: 'mini' }, el('tbody', {}, recent.map((c) => el('tr', {},
          el('td', {}, dateTime(pick(c, 'raisedAt'))),
          el('td', {}, humanEvent(pick(c, 'eventType'))),
          el('td', {}, pick(c, 'outcome') || pick(c, 'state') || ''))))));
  }

  renderTimeline() {
    const box = this.root.querySelector('#timeline');
    if (!box) return;
    const t = this.timeline;
    const entries = list(t);
    if (t && t.error) {
      fill(box, el('li', { class: 'error' }, `Timeline unavailable: ${t.error}`));
      return;
    }
    fill(box, ...entries.map((e) => el('li', { dataset: { kind: pick(e, 'action') || '' } },
      el('time', {}, time(pick(e, 'at'))), ' ',
      el('strong', {}, pick(e, 'action') || ''), ' ',
      pick(e, 'actor') ? el('span', { class: 'muted' }, `by ${pick(e, 'actor')} `) : null,
      pick(e, 'detail') || '')));
  }

  // --- actions ---------------------------------------------------------------------------------

  renderActions() {
    const box = this.root.querySelector('#panel-actions');
    const call = this.call();
    if (!box || !call) return;
    clear(box);
    if (call.state === 'Closed') {
      box.append(el('p', { class: 'muted' }, 'This call is closed.'));
      return;
    }
    if (call.state === 'Raised') {
      box.append(el('p', { class: 'muted' }, 'Claim the call to act on it.'));
      return;
    }
    const r = this.record || {};
    const outcomes = list(pick(r, 'outcomeCodes')).length ? list(pick(r, 'outcomeCodes')) : defaultOutcomes;

    const note = el('textarea', { id: 'note-text', rows: '2', placeholder: 'What was said, what was done…' });
    const noteForm = el('form', { class: 'action', id: 'note-form', onsubmit: (e) => { e.preventDefault(); this.act('AddNote', [note.value.trim()], 'Note added.', () => { note.value = ''; }, () => note.value.trim() ? null : 'Write the note first.'); } },
      el('label', { for: 'note-text' }, 'Add a note'), note, el('button', { type: 'submit', id: 'note-add' }, 'Add note'));

    const close = el('button', { type: 'button', id: 'close-button', disabled: !closedStates.has(call.state),
      title: 'A call closes after it is resolved (or a cancelled call after the call-back)',
      onclick: () => this.act('Close', [], 'Call closed.') }, 'Close call');

    if (closedStates.has(call.state)) {
      // Finished work: what is left is a last note and closing it, not assigning or resolving again.
      box.append(noteForm, el('p', { class: 'muted', id: 'finished-hint' }, `This call is ${call.state.toLowerCase()}: add anything still to say, then close it.`),
        el('div', { class: 'row action' }, el('span', { class: 'spacer' }), close));
      return;
    }

    const responders = this.responderChoices(call);
    const assign = el('form', { class: 'action', id: 'assign-form', onsubmit: (e) => {
      e.preventDefault();
      const chosen = assign.querySelector('input[name=responder]:checked');
      this.act('AssignResponder', [chosen ? Number(chosen.value) : null], `Responder ${chosen ? chosen.dataset.name : ''} assigned; waiting for them to accept.`, null, () => (chosen ? null : 'Choose a responder first.'));
    } },
    el('label', {}, 'Assign a responder', call.responderName ? el('span', { class: 'muted' }, ` (now: ${call.responderName})`) : null),
    responders.length ? el('ul', { class: 'pick-list responders', id: 'responder-list' }, responders.map((p, i) => el('li', {},
      el('label', {},
        el('input', { type: 'radio', name: 'responder', value: String(p.id), dataset: { name: p.name }, checked: i === 0 && !call.responderId }),
        ' ', el('strong', {}, p.name), p.suggested ? el('span', { class: 'tag ok' }, 'suggested') : null,
        el('span', { class: 'muted' }, ` ${[p.status, p.zoneName, p.openWork !== undefined ? `${p.openWork} open` : null].filter(Boolean).join(' · ')}`)))))
      : el('p', { class: 'muted' }, 'No responders are listed for this call.'),
    el('button', { type: 'submit', id: 'assign-button', disabled: responders.length === 0 }, 'Assign'));

    const ems = el('button', { type: 'button', id: 'ems-button', class: 'danger', disabled: call.emergencyServicesCalled,
      onclick: () => this.act('MarkEmergencyServicesCalled', [], 'Recorded: emergency services called.') },
    call.emergencyServicesCalled ? 'Emergency services called ✓' : 'Mark emergency services called');

    const outcome = el('select', { id: 'outcome' }, el('option', { value: '' }, 'Choose an outcome…'), outcomes.map((o) => el('option', { value: o }, humanEvent(o))));
    const resolveNote = el('input', { id: 'resolve-note', placeholder: 'Note (optional)' });
    const resolve = el('form', { class: 'action', id: 'resolve-form', onsubmit: (e) => {
      e.preventDefault();
      this.act('Resolve', [outcome.value, resolveNote.value.trim() || null], `Resolved: ${humanEvent(outcome.value)}.`, null, () => (outcome.value ? null : 'Choose an outcome first.'));
    } },
    el('label', { for: 'outcome' }, 'Resolve'), el('div', { class: 'row' }, outcome, resolveNote,
      el('button', { type: 'submit', id: 'resolve-button' }, 'Resolve')));

    box.append(noteForm, assign, el('div', { class: 'row action' }, ems, el('span', { class: 'spacer' }), close), resolve);
  }

  /** Responders for this call, the suggested one first, each with status and open work. */
  responderChoices(call) {
    const r = this.record || {};
    const raw = list(pick(r, 'responders'));
    const suggestedId = pick(r, 'suggestedResponderId');
    return raw.map((p) => ({
      id: pick(p, 'id'),
      name: pick(p, 'name') || `Responder ${pick(p, 'id')}`,
      status: pick(p, 'status') || (pick(p, 'onDuty') === false ? 'off duty' : pick(p, 'onDuty') ? 'on duty' : ''),
      zoneName: pick(p, 'zoneName'),
      openWork: pick(p, 'openWork'),
      suggested: Boolean(pick(p, 'suggested')) || (suggestedId != null && suggestedId === pick(p, 'id')),
    })).sort((a, b) => Number(b.suggested) - Number(a.suggested));
  }

  async act(method, args, okText, after, validate) {
    const problem = validate ? validate() : null;
    if (problem) {
      this.result(false, problem);
      return;
    }
    const id = this.id;
    const buttons = [...this.root.querySelectorAll('#panel-actions button')];
    buttons.forEach((b) => { b.dataset.wasDisabled = String(b.disabled); b.disabled = true; });
    try {
      const updated = await this.live.invoke(method, id, ...args);
      if (updated && typeof updated === 'object' && 'version' in updated) this.store.apply(updated);
      if (after) after();
      this.result(true, okText);
      this.refreshHeader();
      this.renderActions();
      this.reloadTimeline();
      document.dispatchEvent(new CustomEvent('telecare:changed'));
    } catch (error) {
      this.result(false, `${method.replace(/([A-Z])/g, ' $1').trim()} failed: ${reason(error)}`);
      buttons.forEach((b) => { b.disabled = b.dataset.wasDisabled === 'true'; });
    }
  }

  async revealAccess(residentId) {
    const box = this.root.querySelector('#access-details');
    try {
      const text = await this.live.invoke('RevealAccessDetails', residentId);
      fill(box, el('div', { id: 'access-text', class: 'access-text' }, text || 'No access details recorded.'),
        el('span', { class: 'muted small' }, `Revealed at ${new Date().toLocaleTimeString('en-GB', { hour12: false })}; recorded against your name.`));
      this.reloadTimeline();
    } catch (error) {
      this.result(false, `Reveal failed: ${reason(error)}`);
    }
  }
}
