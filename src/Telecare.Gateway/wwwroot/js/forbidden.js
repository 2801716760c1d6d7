import { logout } from './api.js';

document.getElementById('logout').addEventListener('click', logout);
