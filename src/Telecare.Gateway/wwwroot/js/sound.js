// A distinct tone pattern per priority, made with Web Audio (no sound files). Each console can mute it;
// the choice is kept in this browser. Every tone played is also recorded on <body data-last-tone> so a
// person (and a browser test) can tell which one sounded.

const patterns = {
  // [frequency Hz, duration s, gap s] — P1 urgent and high, P5 a single low blip.
  1: [[988, 0.14, 0.06], [988, 0.14, 0.06], [988, 0.14, 0.06], [1319, 0.3, 0]],
  2: [[880, 0.18, 0.08], [880, 0.18, 0.08], [880, 0.18, 0]],
  3: [[698, 0.22, 0.1], [698, 0.22, 0]],
  4: [[523, 0.3, 0]],
  5: [[392, 0.15, 0]],
  assignment: [[660, 0.15, 0.05], [880, 0.15, 0.05], [1100, 0.25, 0]],
  ticket: [[330, 0.2, 0.1], [294, 0.25, 0]],
};

export class Sounds {
  constructor(key, button) {
    this.key = key;
    this.button = button;
    this.muted = localStorage.getItem(key) === 'muted';
    this.context = null;
    this.played = [];
    if (button) {
      button.addEventListener('click', () => this.toggle());
      this.render();
    }
    // Browsers only let a page make sound after a person has touched it.
    const unlock = () => this.ensureContext();
    document.addEventListener('pointerdown', unlock, { once: true });
    document.addEventListener('keydown', unlock, { once: true });
  }

  ensureContext() {
    if (!this.context) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return null;
      this.context = new Ctx();
    }
    if (this.context.state === 'suspended') this.context.resume().catch(() => {});
    return this.context;
  }

  toggle() {
    this.muted = !this.muted;
    localStorage.setItem(this.key, this.muted ? 'muted' : 'on');
    this.render();
    if (!this.muted) this.play(4);
  }

  render() {
    if (!this.button) return;
    this.button.textContent = this.muted ? 'Sound: off' : 'Sound: on';
    this.button.setAttribute('aria-pressed', String(!this.muted));
    this.button.dataset.muted = String(this.muted);
  }

  /** Plays the pattern for a priority (1..5) or a named pattern; returns the name it played or null. */
  play(kind) {
    const name = patterns[kind] ? String(kind) : '3';
    document.body.dataset.lastTone = this.muted ? `muted:${name}` : name;
    this.played.push({ tone: name, muted: this.muted, at: Date.now() });
    if (this.muted) return null;
    const ctx = this.ensureContext();
    if (!ctx) return null;
    let t = ctx.currentTime + 0.02;
    for (const [freq, dur, gap] of patterns[name]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = name === '1' ? 'square' : 'sine';
      osc.frequency.setValueAtTime(freq, t);
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + dur);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + dur + 0.02);
      t += dur + gap;
    }
    return name;
  }
}
