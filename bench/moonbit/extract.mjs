// Extracts the MoonBit core library (sources, packages.json) that
// @moonbit/moonpad-monaco embeds as base64 in dist/moonpad-monaco.js:
//   node extract.mjs moonpad-monaco.js OUTDIR
import fs from 'fs';
import path from 'path';
const src = fs.readFileSync(process.argv[2], 'utf8');
const defs = new Map();
const re = /([A-Za-z_$][\w$]*) = d\("([A-Za-z0-9+\/=]*)"\)/g;
let m;
while ((m = re.exec(src))) defs.set(m[1], m[2]);
const re2 = /i\["(\/lib\/core\/[^"]+)"\] = ([A-Za-z_$][\w$]*);/g;
let n = 0, miss = 0;
while ((m = re2.exec(src))) {
  const b64 = defs.get(m[2]);
  if (b64 === undefined) { miss++; continue; }
  const out = path.join(process.argv[3], m[1]);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, Buffer.from(b64, 'base64'));
  n++;
}
console.log('wrote', n, 'missing', miss);
