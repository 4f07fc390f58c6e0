// Preloaded (`node --require`) into a process under test: reports on stderr every ICU formatter built and
// every locale-aware call. The first of them loads ICU's data, tens of milliseconds of a cold start.
// String#localeCompare is left out: the Functions Framework's own start-up calls it some 300 times, for
// the bare function as for ours.
/* global process */
'use strict';

const report = (what) => process.stderr.write(`ICU used: ${what}\n`);

for (const name of ['DateTimeFormat', 'NumberFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat', 'ListFormat', 'Segmenter', 'DisplayNames']) {
  const original = Intl[name];
  if (typeof original !== 'function') continue;
  Intl[name] = new Proxy(original, {
    construct: (target, args, newTarget) => (report(`new Intl.${name}`), Reflect.construct(target, args, newTarget)),
    apply: (target, self, args) => (report(`Intl.${name}()`), Reflect.apply(target, self, args)),
  });
}

for (const [owner, proto, method] of [['Number', Number.prototype, 'toLocaleString'], ['BigInt', BigInt.prototype, 'toLocaleString'],
  ['Date', Date.prototype, 'toLocaleString'], ['Date', Date.prototype, 'toLocaleDateString'], ['Date', Date.prototype, 'toLocaleTimeString']]) {
  const original = proto[method];
  Object.defineProperty(proto, method, {
    configurable: true,
    writable: true,
    value: function (...args) {
      report(`${owner}.prototype.${method}`);
      return original.apply(this, args);
    },
  });
}
