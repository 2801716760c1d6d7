import { api, currentUser, reason } from './api.js';
import { showResult } from './dom.js';

const form = document.getElementById('login-form');
const result = document.getElementById('login-result');
const button = document.getElementById('login-button');

function landing(user) {
  const roles = user.roles || [];
  if (roles.includes('responder')) return '/responder';
  if (roles.includes('handler') || roles.includes('supervisor')) {
    return '/';
  }
  return null;
}

async function go(user) {
  const target = landing(user);
  if (target) {
    location.assign(target);
    return true;
  }
  showResult(result, false, `Signed in as ${user.name}, whose role (${user.roles.join(', ') || 'none'}) has no console page.`);
  return false;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    showResult(result, false, 'Enter your user name and password.');
    return;
  }
  button.disabled = true;
  showResult(result, true, 'Signing in…');
  try {
    await api('/api/v1/auth/login', { method: 'POST', body: { username, password } });
    const user = await currentUser();
    if (!user) throw new Error('Signed in, but the gateway did not keep the session (are cookies allowed?).');
    await go(user);
  } catch (error) {
    const text = error.status === 401 || error.status === 400 ? 'Wrong user name or password.'
      : error.status === 429 ? 'Too many attempts: wait a minute and try again.'
      : reason(error);
    showResult(result, false, text);
    form.password.select();
  } finally {
    button.disabled = false;
  }
});

// Already signed in: go straight to the right page.
currentUser().then((user) => { if (user) landing(user) && go(user); }).catch(() => {});
