// One live connection to a hub, with its state always on screen and a resync after every reconnect.
// The SignalR client is the npm package's browser bundle (/lib/signalr/signalr.min.js, global `signalR`).

const retryDelays = [0, 1000, 2000, 3000, 5000];

export class LiveConnection {
  /**
   * @param {string} url hub path
   * @param {HTMLElement} badge element that shows the connection state
   * @param {(connection) => Promise<void>} resync fetches the snapshot; runs on every (re)connect
   */
  constructor(url, badge, resync) {
    const signalR = window.signalR;
    if (!signalR) throw new Error('The SignalR client did not load (/lib/signalr/signalr.min.js).');
    this.badge = badge;
    this.resync = resync;
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl(url)
      // Never give up: a console that silently stops is worse than one that keeps trying.
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => retryDelays[Math.min(ctx.previousRetryCount, retryDelays.length - 1)] })
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    this.connection.serverTimeoutInMilliseconds = 20000;
    this.connection.keepAliveIntervalInMilliseconds = 5000;
    this.connection.onreconnecting(() => this.show('reconnecting', 'Reconnecting…'));
    this.connection.onreconnected(() => this.afterConnect());
    this.connection.onclose(() => { if (!this.stopped) this.startLoop(); });
    this.reconnects = 0;
  }

  on(name, handler) {
    this.connection.on(name, handler);
    return this;
  }

  invoke(name, ...args) {
    return this.connection.invoke(name, ...args);
  }

  get connected() {
    return this.connection.state === 'Connected';
  }

  async start() {
    this.show('connecting', 'Connecting…');
    await this.startLoop();
  }

  async startLoop() {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.connection.start();
        await this.afterConnect();
        return;
      } catch (error) {
        if (/\b401\b|Unauthorized/.test(String(error && error.message))) {
          location.assign('/login?next=' + encodeURIComponent(location.pathname));
          return;
        }
        this.show('disconnected', 'Disconnected — retrying');
        await new Promise((r) => setTimeout(r, retryDelays[Math.min(attempt + 1, retryDelays.length - 1)]));
      }
    }
  }

  async afterConnect() {
    this.show('syncing', 'Connected — syncing…');
    try {
      await this.resync(this);
      this.reconnects++;
      document.body.dataset.syncs = String(this.reconnects);
      this.show('connected', 'Connected');
    } catch (error) {
      this.show('degraded', 'Connected — resync failed, retrying');
      setTimeout(() => { if (this.connected) this.afterConnect(); }, 2000);
    }
  }

  show(state, text) {
    document.body.dataset.connection = state;
    if (!this.badge) return;
    this.badge.dataset.state = state;
    this.badge.textContent = text;
    this.badge.title = `Live connection: ${text} (${new Date().toLocaleTimeString('en-GB')})`;
  }

  async stop() {
    this.stopped = true;
    await this.connection.stop();
  }
}
