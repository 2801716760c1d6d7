// Short call scripts per event type: what the handler says and checks first. Written for this service;
// a centre's own scripts would replace these.

const speakFirst = 'Speak through the unit: give your name and say you are from the response centre.';

const scripts = {
  'pendant.press': [speakFirst, 'Ask if they are hurt, on the floor, or need someone to come.',
    'No answer or a fall: assign a responder; signs of injury or breathing trouble: call 999 first.'],
  'fall.detected': [speakFirst, 'Assume they are on the floor: ask where it hurts and whether they can move.',
    'Never ask them to get up alone: assign a responder; head injury, confusion or pain: call 999.'],
  'medical': [speakFirst, 'Ask what is wrong now: chest pain, breathing, bleeding, collapse → call 999 at once.',
    'Read the medical notes before you end the call; tell the next of kin.'],
  'smoke.alarm': ['Call 999 (fire) now: do not wait to talk to the resident.', speakFirst,
    'Tell them to leave by the nearest door if they can and not to go back in.'],
  'heat.alarm': ['Call 999 (fire) now.', speakFirst, 'Tell them to leave and close doors behind them.'],
  'co.alarm': [speakFirst, 'Tell them to open windows, turn off appliances and go outside; if unwell call 999.',
    'Gas emergency line for the supplier; assign a responder.'],
  'gas.alarm': [speakFirst, 'No switches, no flames: open doors and windows, go outside.',
    'Call the gas emergency line; call 999 if anyone is unwell.'],
  'flood.alarm': [speakFirst, 'Ask them to turn off the water at the stopcock if safe; keep away from electrics.',
    'Contact a keyholder or assign a responder.'],
  'temperature.low': [speakFirst, 'Check the heating is on and they are warm; a cold home is a risk for an older person.'],
  'temperature.high': [speakFirst, 'Check for fire or cooking left on; if no answer, treat as a fire alarm.'],
  'door.exit': [speakFirst, 'Check the flags: with dementia, a night exit needs a keyholder or responder now.',
    'Call a keyholder; if nobody answers, assign a responder and consider the police (missing person).'],
  'bed.absent': [speakFirst, 'They left bed and did not return: ask if they have fallen.', 'No answer: assign a responder.'],
  'chair.absent': [speakFirst, 'Ask if they are well and where they are.', 'No answer: assign a responder.'],
  'inactivity': [speakFirst, 'No movement where some was expected: ask if they are well.',
    'No answer: call a keyholder, then assign a responder.'],
};

const technical = ['Check the device and its last check-in below.', 'Book an engineer visit if the fault persists; tell the resident.',
  'A resident without a working alarm is at risk: call them today.'];

export function scriptFor(eventType, kind) {
  if (kind === 'technical' || String(eventType).startsWith('device.') || String(eventType).startsWith('receiver.')) return technical;
  return scripts[eventType] || [speakFirst, 'Ask what happened and whether they need someone to come.', 'If in doubt, assign a responder.'];
}

/** Events a handler may raise by hand (a call that came by phone, a welfare concern). */
export const manualEventTypes = ['pendant.press', 'fall.detected', 'medical', 'inactivity', 'door.exit',
  'smoke.alarm', 'co.alarm', 'gas.alarm', 'flood.alarm', 'temperature.low'];
