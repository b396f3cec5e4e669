// Writes the longest_first pair-truncation cases in which BOTH sequences are cut (odd and even budgets; first longer,
// second longer, equal lengths) as Hugging Face tokenizers encodes them, in the format of
// ../shared/reference/tokenizer/*.jsonl. Run from the repository root with the npm package "tokenizers" (the Rust
// library's Node binding) installed:
//   npm install tokenizers@0.23.2 && node scripts/hf-truncation-cases.js > \
//     tokenizer/src/test/resources/dev/ranker4j/tokenizer/hf-longest-first-both-cut.jsonl
const fs = require('fs');
const { Tokenizer } = require('tokenizers');

const shared = process.env.RANKER4J_SHARED || '../shared';
const tokenizerJson = `${shared}/models/all-MiniLM-L6-v2/tokenizer.json`;
const lines = file => fs.readFileSync(file, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
const queries = lines(`${shared}/data/scifact/queries.jsonl`).slice(0, 12).map(q => q.text);
const docs = lines(`${shared}/data/scifact/corpus.jsonl`).slice(0, 12).map(d => d.text.split(' ').slice(0, 40).join(' '));

(async () => {
  const tok = Tokenizer.fromFile(tokenizerJson);
  const length = async text => (await tok.encode(text)).getIds().length - 2;
  const pairs = [];
  for (let i = 0; i < 12; i++) {
    pairs.push([queries[i], docs[i]]);            // first shorter
    pairs.push([docs[i], queries[(i + 1) % 12]]); // first longer
  }
  pairs.push(['alpha beta gamma delta epsilon zeta', 'one two three four five six']); // equal lengths
  pairs.push(['a b c d e f g h', 'x y z w v u']);
  pairs.push(['x y z w v u', 'a b c d e f g h']);
  for (const [a, b] of pairs) {
    const n1 = await length(a), n2 = await length(b);
    const s = Math.min(n1, n2);
    // Budgets m (text tokens) with 2 * min(n1, n2) > m: both sequences are cut.
    const budgets = new Set([2 * s - 1, 2 * s - 2, s + 1, s].filter(m => m >= 1 && 2 * s > m));
    for (const m of budgets) {
      const maxLength = m + 3;
      tok.setTruncation(maxLength, { strategy: 'LongestFirst' });
      const e = await tok.encode(a, b);
      console.log(JSON.stringify({ text: a, text_pair: b, max_length: maxLength, truncation: 'longest_first',
        ids: e.getIds(), type_ids: e.getTypeIds(), tokens: e.getTokens() }));
    }
  }
})();
