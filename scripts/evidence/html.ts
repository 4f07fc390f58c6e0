import type { ClauseEvidence, Report } from './model';

/** Text safe inside HTML elements and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

// The page sits in evidence/, so a repository path is one folder up.
const href = (file: string, line: number | null): string => escapeHtml(`../${file.split('/').map(encodeURIComponent).join('/')}${line ? `#L${line}` : ''}`);

const STYLE = `body{font:15px/1.5 system-ui,"Noto Sans TC",sans-serif;margin:2rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.5rem;vertical-align:top;text-align:left}
p[lang=zh-TW]{white-space:pre-line}tr.green td.verdict{background:#d9f2d9}tr.red td.verdict{background:#f8d0d0}.en{color:#555}.passed{color:#17641b}
.failed,.other{color:#a11}ul{margin:0;padding-left:1.1rem}code{font-size:.9em}`;

const FOLD_AFTER = 12;

function clauseRow(c: ClauseEvidence): string {
  const controls = c.controls.map((x) => `<li><a href="${href(x.path, x.line)}"><code>${escapeHtml(x.symbol)}</code></a> <span class="en">${escapeHtml(x.path)}:${x.line}</span></li>`).join('');
  const tests = c.tests.map((t) => {
    const cls = t.status === 'passed' || t.status === 'failed' ? t.status : 'other';
    return `<li class="${cls}">${escapeHtml(t.status)}: <a href="${href(t.file, t.line)}">${escapeHtml(t.name)}</a>` +
      ` <span class="en">${escapeHtml(t.file)}${t.durationMs === null ? '' : `, ${t.durationMs} ms`}</span></li>`;
  }).join('');
  const passed = c.tests.filter((t) => t.status === 'passed').length;
  // A table's rows (the rules matrix: hundreds) fold away; a red clause opens to show what failed.
  const testList = c.tests.length <= FOLD_AFTER ? `<ul>${tests}</ul>`
    : `<details${c.green ? '' : ' open'}><summary>${c.tests.length} 項測試 tests, ${passed} 通過 passed</summary><ul>${tests}</ul></details>`;
  return `<tr class="${c.green ? 'green' : 'red'}" id="clause-${escapeHtml(c.id)}"><th>${escapeHtml(c.id)}</th>` +
    `<td><p lang="zh-TW">${escapeHtml(c.promise['zh-TW'])}</p><p lang="en" class="en">${escapeHtml(c.promise.en)}</p></td>` +
    `<td><ul>${controls}</ul></td><td>${testList}</td>` +
    `<td class="verdict">${c.green ? '通過 / green' : '未通過 / red'}</td></tr>`;
}

/** evidence/index.html: the report as a page a person reads, zh-TW first. Self-contained. */
export function renderHtml(r: Report): string {
  const green = r.clauses.filter((c) => c.green).length;
  const m = r.rulesMatrix;
  const d = r.deploy;
  return `<!doctype html>
<html lang="zh-TW"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>雲端客戶服務協議：稽核證據 / Audit evidence ${escapeHtml(r.commit.slice(0, 12))}</title><style>${STYLE}</style></head>
<body>
<h1>雲端客戶服務協議：稽核證據 <span class="en">/ Audit evidence</span></h1>
<p>提交 commit <code>${escapeHtml(r.commit)}</code>${r.uncommittedChanges ? '（<strong>工作目錄有未提交的修改 / with uncommitted changes</strong>）' : ''}，產生於 generated at ${escapeHtml(r.generatedAt)}，Node ${escapeHtml(r.node)}。</p>
<p>${green} / ${r.clauses.length} 條款通過 <span class="en">clauses green</span>；測試 tests ${r.totals.tests}：通過 passed ${r.totals.passed}、失敗 failed ${r.totals.failed}、略過 skipped ${r.totals.skipped}。</p>
<p class="en">A clause is green only when every test it cites passed at this commit. Controls link to the line that declares them.</p>
<table><thead><tr><th>條款 clause</th><th>承諾 promise</th><th>控制 controls</th><th>測試 tests</th><th>結果 verdict</th></tr></thead>
<tbody>
${r.clauses.map(clauseRow).join('\n')}
</tbody></table>
<h2>Firestore 規則矩陣 <span class="en">/ rules matrix</span></h2>
<p>${m.cells} 個格 cells = ${m.collections} collections × ${m.principals} principals × ${m.operations} operations × ${m.states} account states
（<a href="${href('functions/test/rules/rules.test.ts', null)}">functions/test/rules/rules.test.ts</a>）；
矩陣測試 matrix tests ${m.tests}，通過 passed ${m.passed}。</p>
<h2>部署計畫 <span class="en">/ deploy plan (dry run)</span></h2>
<p><code>${escapeHtml(d.command)}</code></p>
<ul>
<li>TLS（5.3）：SSL policy <code>${escapeHtml(d.tls.policy)}</code>, profile <code>${escapeHtml(d.tls.profile)}</code>, min TLS <code>${escapeHtml(d.tls.minTlsVersion)}</code></li>
<li>區域 region（5.10）：${d.regions.map((x) => `<code>${escapeHtml(x)}</code>`).join(', ')}</li>
<li>備份保留 backup retention（5.4）：<code>gs://${escapeHtml(d.retention.bucket)}</code>, ${d.retention.days} 天 days, ${d.retention.locked ? '已鎖定 locked' : '未鎖定 NOT locked'}</li>
</ul>
</body></html>
`;
}
