// What every demo client page shares: a visible log, the flow buttons, and the `?auto=1`
// run that leaves `window.demoResults` (what the page itself received) for the tests.

const logEl = document.getElementById('log');

export function log(flow, text, kind = 'info') {
  const line = document.createElement('div');
  line.className = `log-line ${kind}`;
  const tag = document.createElement('span');
  tag.className = 'log-flow';
  tag.textContent = flow;
  line.append(tag, document.createTextNode(text.length > 160 ? `${text.slice(0, 157)}...` : text));
  logEl?.append(line);
  logEl?.scrollTo(0, logEl.scrollHeight);
}

function describe(err) {
  return err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
}

async function runFlow(flow) {
  log(flow.id, `start: ${flow.label}`);
  try {
    return await flow.run();
  } catch (err) {
    log(flow.id, `failed: ${describe(err)}`, 'error');
    return { failed: describe(err) };
  }
}

/**
 * Shows a button per flow and a "Run all"; with `?auto=1` runs them all at once.
 * `beforeAll` resets what must start afresh so two runs give the same results.
 */
export function mountFlows(flows, { beforeAll = () => undefined } = {}) {
  async function runAll() {
    beforeAll();
    const results = { order: [] };
    for (const flow of flows) {
      results[flow.id] = await runFlow(flow);
      results.order.push(flow.id);
    }
    window.demoResults = results;
    window.demoDone = true;
    document.body.dataset.demoDone = 'true';
    log('demo', 'all flows done');
  }

  const bar = document.getElementById('flows');
  if (bar) {
    for (const flow of flows) {
      const button = document.createElement('button');
      button.textContent = flow.label;
      button.addEventListener('click', () => runFlow(flow));
      bar.append(button);
    }
    const all = document.createElement('button');
    all.className = 'primary';
    all.textContent = 'Run all';
    all.addEventListener('click', () => runAll());
    bar.append(all);
  }
  if (new URLSearchParams(location.search).get('auto') === '1') runAll();
}
