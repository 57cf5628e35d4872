// The fleet page: polls GET /api/v1/fleet once a second with the admin token kept in sessionStorage, and draws
// phase bars, counts per profile and the VM table. Everything shown is set through textContent: hostnames and
// event details come from configs and VMs, so no data ever reaches innerHTML.
'use strict';

const POLL_MS = 1000;
const TOKEN_KEY = 'appliance-admin-token';

const state = { sortKey: 'phase', sortDir: 1, selected: null, timer: null, phaseOrder: [] };

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    node.setAttribute(name, value);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

// A cell for a value that may be empty (a pool VM has no profile and may send no hostname): a grey dash then.
function cell(value, emptyText) {
  return value ? el('td', {}, value) : el('td', { class: 'none' }, emptyText || '—');
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

// A token in the URL fragment (/#token=…) is moved into the session and dropped from the address bar, so it is
// neither sent to the server nor left in the history.
function takeTokenFromFragment() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const given = params.get('token');
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given.trim());
    history.replaceState(null, '', location.pathname + location.search);
  }
}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: 'Bearer ' + token() }, cache: 'no-store' });
  if (response.status === 401) {
    throw new Unauthorized();
  }
  if (!response.ok) {
    let error = 'HTTP ' + response.status;
    try {
      error = (await response.json()).error || error;
    } catch (ignored) {
      // Not the API's JSON error body: the status says enough.
    }
    throw new Error(error);
  }
  return response.json();
}

class Unauthorized extends Error {
}

function setStatus(text, isError) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.classList.toggle('error', Boolean(isError));
}

function showLogin(message) {
  clearTimeout(state.timer);
  sessionStorage.removeItem(TOKEN_KEY);
  document.getElementById('fleet').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message || '';
  setStatus('not signed in');
  document.getElementById('token').focus();
}

function secondsSince(iso, now) {
  return iso ? Math.max(0, Math.round((now - Date.parse(iso)) / 1000)) : null;
}

// The appliance judges stragglers (and diagnoses them) with its one threshold; the page only shows the verdict.
function isStraggler(vm) {
  return vm.straggler === true;
}

// A VM's diagnosis cell: the short code, the sentence as its tooltip; nothing when the appliance has none.
function diagnosisCell(vm) {
  return vm.diagnosis
    ? el('td', { class: 'diagnosis', title: vm.diagnosis.text }, vm.diagnosis.code)
    : el('td', { class: 'none' }, '');
}

function renderPhases(fleet) {
  const box = document.getElementById('phases');
  box.replaceChildren();
  document.getElementById('total').textContent = fleet.total + ' VMs';
  for (const [phase, count] of Object.entries(fleet.phases)) {
    const share = fleet.total === 0 ? 0 : (100 * count) / fleet.total;
    box.append(el('span', { class: 'phase-label' }, phase));
    const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-label': phase,
      'aria-valuemin': '0', 'aria-valuemax': String(fleet.total), 'aria-valuenow': String(count) });
    const fill = el('div', { class: 'bar-fill phase-' + phase });
    fill.style.width = share.toFixed(1) + '%';
    bar.append(fill);
    box.append(bar);
    box.append(el('span', { class: 'count', id: 'phase-count-' + phase, 'data-phase': phase }, String(count)));
  }
}

function renderProfiles(fleet) {
  const table = document.getElementById('profiles');
  const head = el('tr');
  head.append(el('th', {}, 'Profile'));
  state.phaseOrder.forEach((phase) => head.append(el('th', {}, phase)));
  head.append(el('th', {}, 'total'));
  table.tHead.replaceChildren(head);
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const [profile, counts] of Object.entries(fleet.profiles)) {
    const row = el('tr', { 'data-profile': profile });
    row.append(cell(profile, '(no profile)'));
    let total = 0;
    for (const phase of state.phaseOrder) {
      const count = counts[phase] || 0;
      total += count;
      row.append(el('td', { class: 'number', 'data-phase': phase }, String(count)));
    }
    row.append(el('td', { class: 'number' }, String(total)));
    body.append(row);
  }
}

function compare(a, b) {
  const key = state.sortKey;
  if (key === 'phase') {
    const byPhase = state.phaseOrder.indexOf(a.phase) - state.phaseOrder.indexOf(b.phase);
    return byPhase !== 0 ? byPhase : a['last-event-at'].localeCompare(b['last-event-at']);
  }
  return String(a[key]).localeCompare(String(b[key]), undefined, { numeric: true });
}

function renderVms(fleet, now) {
  const body = document.querySelector('#vms tbody');
  body.replaceChildren();
  let stragglers = 0;
  const vms = [...fleet.vms].sort((a, b) => state.sortDir * compare(a, b));
  for (const vm of vms) {
    const straggler = isStraggler(vm);
    stragglers += straggler ? 1 : 0;
    const row = el('tr', { 'data-mac': vm.mac, 'data-phase': vm.phase });
    row.classList.toggle('straggler', straggler);
    row.classList.toggle('selected', vm.mac === state.selected);
    row.append(cell(vm.hostname));
    row.append(el('td', {}, vm.mac));
    row.append(cell(vm.ip));
    row.append(cell(vm.profile, '(no profile)'));
    row.append(el('td', {}, vm.phase));
    row.append(el('td', { title: vm['last-event-detail'] }, vm['last-event']));
    const age = secondsSince(vm['last-event-at'], now);
    const at = vm['last-event-at'] ? new Date(vm['last-event-at']).toLocaleTimeString() + ' (' + age + ' s ago)' : '';
    row.append(el('td', { class: 'age' }, at));
    row.append(diagnosisCell(vm));
    row.addEventListener('click', () => select(vm.mac));
    body.append(row);
  }
  document.getElementById('straggler-count').textContent = String(stragglers);
  document.getElementById('straggler-seconds').textContent = String(fleet['straggler-after']);
  document.querySelectorAll('#vms th[data-sort]').forEach((th) => {
    th.classList.toggle('sorted-asc', th.dataset.sort === state.sortKey && state.sortDir === 1);
    th.classList.toggle('sorted-desc', th.dataset.sort === state.sortKey && state.sortDir === -1);
  });
}

async function renderTimeline() {
  const section = document.getElementById('timeline');
  if (!state.selected) {
    section.hidden = true;
    return;
  }
  const vm = await api('/api/v1/fleet/' + encodeURIComponent(state.selected));
  document.getElementById('timeline-title').textContent = (vm.hostname || vm.mac) + ' (' + vm.mac + ', ' + vm.phase + ')';
  const diagnosis = document.getElementById('timeline-diagnosis');
  diagnosis.hidden = !vm.diagnosis;
  diagnosis.textContent = vm.diagnosis ? vm.diagnosis.code + ': ' + vm.diagnosis.text : '';
  const boots = document.getElementById('timeline-boots');
  boots.replaceChildren();
  for (const boot of vm.boots) {
    const box = el('div', { class: 'boot' });
    box.append(el('h3', {}, 'Boot ' + boot.number + ' — ' + boot.phase + ', started ' + boot.started));
    const list = el('ol');
    for (const event of boot.events) {
      list.append(el('li', {}, event.at + '  ' + event.kind + (event.detail ? '  ' + event.detail : '')));
    }
    box.append(list);
    boots.append(box);
  }
  section.hidden = false;
}

let lastFleet = null;

function render(fleet) {
  lastFleet = fleet;
  state.phaseOrder = Object.keys(fleet.phases);
  const now = Date.now();
  renderPhases(fleet);
  renderProfiles(fleet);
  renderVms(fleet, now);
}

async function poll() {
  try {
    render(await api('/api/v1/fleet'));
    await renderTimeline();
    setStatus('updated ' + new Date().toLocaleTimeString());
  } catch (e) {
    if (e instanceof Unauthorized) {
      showLogin('The appliance refused this token.');
      return;
    }
    setStatus('cannot update: ' + e.message, true);
  }
  state.timer = setTimeout(poll, POLL_MS);
}

function select(mac) {
  state.selected = state.selected === mac ? null : mac;
  if (lastFleet) {
    renderVms(lastFleet, Date.now());
  }
  renderTimeline().catch((e) => setStatus('cannot load the timeline: ' + e.message, true));
}

function start() {
  document.getElementById('login').hidden = true;
  document.getElementById('fleet').hidden = false;
  clearTimeout(state.timer);
  poll();
}

document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('#vms th[data-sort]').forEach((th) => th.addEventListener('click', () => {
    state.sortDir = state.sortKey === th.dataset.sort ? -state.sortDir : 1;
    state.sortKey = th.dataset.sort;
    if (lastFleet) {
      renderVms(lastFleet, Date.now());
    }
  }));
  document.getElementById('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    start();
  });
  takeTokenFromFragment();
  if (token()) {
    start();
  } else {
    showLogin();
  }
});
