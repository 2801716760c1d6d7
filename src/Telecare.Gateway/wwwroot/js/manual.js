// Raising a call by hand: find the resident by name, address or phone (residents API), choose the
// event, say why, and raise it through the hub so it joins the queue like any other call.
import { api, reason } from './api.js';
import { el, clear, fill, humanEvent, showResult } from './dom.js';
import { manualEventTypes } from './scripts.js';

export class ManualCall {
  constructor(dialog, live, onRaised) {
    this.dialog = dialog;
    this.live = live;
    this.onRaised = onRaised;
    this.resident = null;
    const q = (s) => dialog.querySelector(s);
    this.query = q('#manual-query');
    this.results = q('#manual-results');
    this.chosen = q('#manual-chosen');
    this.eventType = q('#manual-event');
    this.note = q('#manual-note');
    this.raiseButton = q('#manual-raise-button');
    this.resultLine = q('#manual-result');
    this.eventType.append(...manualEventTypes.map((t) => el('option', { value: t }, humanEvent(t))));
    q('#manual-search').addEventListener('submit', (e) => { e.preventDefault(); this.search(); });
    q('#manual-raise').addEventListener('submit', (e) => { e.preventDefault(); this.raise(); });
    q('#manual-cancel').addEventListener('click', () => dialog.close());
  }

  open() {
    this.resident = null;
    this.chosen.textContent = 'No resident chosen.';
    this.raiseButton.disabled = true;
    this.note.value = '';
    clear(this.results);
    showResult(this.resultLine, true, '');
    this.dialog.showModal();
    this.query.focus();
  }

  async search() {
    const text = this.query.value.trim();
    if (text.length < 2) {
      showResult(this.resultLine, false, 'Type at least two letters or digits.');
      return;
    }
    showResult(this.resultLine, true, 'Searching…');
    try {
      const found = await api(`/api/v1/residents?q=${encodeURIComponent(text)}`);
      const items = Array.isArray(found) ? found : (found && (found.items || found.residents || found.results)) || [];
      fill(this.results, ...items.map((r) => el('li', {},
        el('button', { type: 'button', class: 'pick', dataset: { residentId: String(r.id) }, onclick: () => this.choose(r) },
          el('strong', {}, r.name || [r.firstName, r.lastName].filter(Boolean).join(' ')), ' ', el('span', { class: 'muted' }, [r.address, r.postcode, r.phone, r.zoneName].filter(Boolean).join(' · '))))));
      showResult(this.resultLine, items.length > 0, items.length ? `${items.length} found.` : 'Nobody matches that.');
    } catch (error) {
      showResult(this.resultLine, false, `Search failed: ${reason(error)}`);
    }
  }

  choose(resident) {
    this.resident = resident;
    this.chosen.textContent = `For ${resident.name || [resident.firstName, resident.lastName].filter(Boolean).join(' ')}, ${resident.address || ''}`;
    this.raiseButton.disabled = false;
    this.note.focus();
  }

  async raise() {
    if (!this.resident) {
      showResult(this.resultLine, false, 'Choose the resident first.');
      return;
    }
    const note = this.note.value.trim();
    if (!note) {
      showResult(this.resultLine, false, 'Say why the call is raised.');
      return;
    }
    this.raiseButton.disabled = true;
    try {
      const call = await this.live.invoke('RaiseManualCall', this.resident.id, this.eventType.value, note);
      showResult(this.resultLine, true, `Call ${call && call.id} raised.`);
      this.dialog.close();
      if (call) this.onRaised(call);
    } catch (error) {
      showResult(this.resultLine, false, `Raise failed: ${reason(error)}`);
    } finally {
      this.raiseButton.disabled = !this.resident;
    }
  }
}
