// The responder's phone page: their own assignments only, live from /hubs/responder, with one tap per
// step (accept, en route, arrived, left, outcome). Times recorded are the server's.
import { currentUser, logout, reason } from './api.js';
import { $, el, clear, time, humanEvent, showResult } from './dom.js';
import { LiveConnection } from './live.js';
import { Sounds } from './sound.js';

const state = { assignments: new Map(), onDuty: false, outcomes: [], synced: false, name: '' };
const done = new Set(['Declined', 'Completed', 'Withdrawn']);
const sounds = new Sounds('telecare.responder.sound', $('#sound-toggle'));
const live = new LiveConnection('/hubs/responder', $('#connection'), async (connection) => {
  applySnapshot(await connection.invoke('GetSnapshot'));
});
const result = $('#responder-result');

function applySnapshot(snapshot) {
  if (!snapshot) return;
  state.name = snapshot.name;
  state.onDuty = snapshot.onDuty;
  state.outcomes = snapshot.outcomeCodes || [];
  state.assignments = new Map((snapshot.assignments || []).map((a) => [a.id, a]));
  state.synced = true;
  $('#responder-name').textContent = snapshot.name || 'Responder';
  render();
}

function upsert(assignment) {
  state.assignments.set(assignment.id, assignment);
  render();
}

live.on('Snapshot', applySnapshot);
live.on('AssignmentOffered', (a) => {
  const isNew = !state.assignments.has(a.id);
  upsert(a);
  if (isNew) alertNew(a);
});
live.on('AssignmentUpdated', upsert);
live.on('AssignmentWithdrawn', (id) => {
  const a = state.assignments.get(id);
  state.assignments.delete(id);
  render();
  if (a) showResult(result, false, `Assignment for ${a.residentName || 'a resident'} was withdrawn: you are no longer needed there.`);
});

function alertNew(a) {
  sounds.play('assignment');
  // Vibration works on phones that allow it; elsewhere it is simply not there.
  if (navigator.vibrate) navigator.vibrate([300, 100, 300, 100, 600]);
  document.body.dataset.lastOffer = String(a.id);
  showResult(result, true, `New assignment: ${humanEvent(a.eventType)} at ${a.address || 'an address'}.`);
}

function render() {
  const duty = $('#duty-toggle');
  duty.textContent = state.onDuty ? 'On duty — tap to go off duty' : 'Off duty — tap to go on duty';
  duty.dataset.onDuty = String(state.onDuty);
  duty.setAttribute('aria-pressed', String(state.onDuty));
  document.body.dataset.onDuty = String(state.onDuty);

  const list = [...state.assignments.values()]
    .filter((a) => !done.has(a.state))
    .sort((a, b) => a.priority - b.priority || Date.parse(a.assignedAt) - Date.parse(b.assignedAt));
  const box = $('#assignments');
  clear(box);
  if (list.length === 0) {
    box.append(el('p', { class: 'empty', id: 'no-assignments' }, state.onDuty
      ? 'No assignments. You will hear a tone when one arrives.'
      : 'You are off duty: go on duty to receive assignments.'));
    return;
  }
  box.append(...list.map(card));
}

function step(label, method, a, args = [], cls = 'primary') {
  return el('button', { type: 'button', class: `big ${cls}`, dataset: { action: method }, onclick: (e) => act(method, a, args, e.currentTarget) }, label);
}

function card(a) {
  const actions = el('div', { class: 'steps' });
  switch (a.state) {
    case 'Offered':
      actions.append(step('Accept', 'Accept', a), el('button', { type: 'button', class: 'big ghost', dataset: { action: 'Decline' },
        onclick: (e) => { const why = prompt('Why can you not take it?', 'Already on a visit'); if (why !== null) act('Decline', a, [why || 'declined'], e.currentTarget); } }, 'Decline'));
      break;
    case 'Accepted':
      actions.append(step('On my way', 'EnRoute', a));
      break;
    case 'EnRoute':
      actions.append(step('Arrived', 'Arrived', a));
      break;
    case 'Arrived':
      actions.append(step('Left the home', 'Left', a));
      break;
    case 'Left': {
      const codes = state.outcomes.length ? state.outcomes : ['resident-ok', 'assisted-from-floor', 'ambulance-called', 'admitted-to-hospital', 'no-access', 'false-alarm'];
      actions.append(el('p', { class: 'muted' }, 'Outcome of the visit:'),
        ...codes.map((o) => step(humanEvent(o), 'Complete', a, [o], 'outcome')));
      break;
    }
    default:
      break;
  }
  const times = [['Assigned', a.assignedAt], ['Accepted', a.acceptedAt], ['En route', a.enRouteAt], ['Arrived', a.arrivedAt], ['Left', a.leftAt]]
    .filter(([, t]) => t).map(([l, t]) => `${l} ${time(t)}`).join(' · ');
  return el('article', { class: `assignment p${a.priority}`, dataset: { assignmentId: String(a.id), callId: String(a.callId), state: a.state } },
    el('header', {}, el('span', { class: `prio p${a.priority}` }, `P${a.priority}`), ' ', el('strong', { class: 'event' }, humanEvent(a.eventType)),
      el('span', { class: 'state' }, a.state)),
    el('h2', { class: 'resident' }, a.residentName || 'Resident'),
    el('p', { class: 'address' }, [a.address, a.postcode].filter(Boolean).join(', ')),
    a.accessDetails ? el('p', { class: 'access-text' }, el('strong', {}, 'Access: '), a.accessDetails) : null,
    (a.flags || []).length ? el('p', {}, a.flags.map((f) => el('span', { class: 'flag' }, f))) : null,
    (a.handlerNotes || []).length ? el('ul', { class: 'notes' }, a.handlerNotes.map((n) => el('li', {}, n))) : null,
    el('p', { class: 'muted small times' }, times),
    actions);
}

async function act(method, a, args, button) {
  if (button) button.disabled = true;
  try {
    const updated = await live.invoke(method, a.id, ...args);
    if (updated && typeof updated === 'object' && updated.id !== undefined) upsert(updated);
    const said = { Accept: 'Accepted: the centre knows you are taking it.', Decline: 'Declined.', EnRoute: 'On your way: recorded.',
      Arrived: 'Arrival recorded.', Left: 'Departure recorded: choose the outcome.', Complete: 'Visit complete. Thank you.' };
    showResult(result, true, said[method] || 'Done.');
  } catch (error) {
    showResult(result, false, `${method} failed: ${reason(error)}`);
    if (button) button.disabled = false;
  }
}

$('#duty-toggle').addEventListener('click', async (e) => {
  // currentTarget is only set while the event is dispatched: keep the button for after the await.
  const button = e.currentTarget;
  const want = !state.onDuty;
  button.disabled = true;
  try {
    await live.invoke('SetOnDuty', want);
    state.onDuty = want;
    render();
    showResult(result, true, want ? 'You are on duty.' : 'You are off duty.');
  } catch (error) {
    showResult(result, false, `Could not change duty: ${reason(error)}`);
  } finally {
    button.disabled = false;
  }
});
$('#logout').addEventListener('click', async () => { await live.stop().catch(() => {}); await logout(); });

async function main() {
  const user = await currentUser().catch(() => undefined);
  if (user === null) {
    location.assign('/login?next=%2Fresponder');
    return;
  }
  render();
  await live.start();
}

main();
