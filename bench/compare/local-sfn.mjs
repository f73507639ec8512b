// Times bench/workloads on aws-local-stepfunctions, in process.
// usage: node local-sfn.mjs WORKLOADS_DIR NAME RUNS  -> prints the median in ms
import { StateMachine } from 'aws-local-stepfunctions';
import { readFileSync } from 'node:fs';

// aws-local-stepfunctions 3 uses Promise.withResolvers (Node 22); older
// Node versions get the standard polyfill.
if (!Promise.withResolvers) {
  Promise.withResolvers = () => {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

const [dir, name, runsArg] = process.argv.slice(2);
const definition = JSON.parse(readFileSync(`${dir}/${name}.asl.json`, 'utf8'));
const input = JSON.parse(readFileSync(`${dir}/${name}.input.json`, 'utf8'));
const machine = new StateMachine(definition, { validationOptions: { checkPaths: false, checkArn: false } });

// The retried task fails 50 times with a throttling error, then succeeds;
// back-off is skipped, as sfc's virtual clock skips it.
function runOptions() {
  let calls = 0;
  return {
    overrides: {
      taskResourceLocalHandlers: {
        Flaky: async () => {
          calls += 1;
          if (calls <= 50) {
            const e = new Error('Rate exceeded');
            e.name = 'Lambda.TooManyRequestsException';
            throw e;
          }
          return { StatusCode: 200 };
        },
      },
      retryIntervalOverrides: { Flaky: 0 },
    },
  };
}

// Untimed runs first (warm-up), as every harness does: at least one, and
// for at least WARM_UP_MS, so a JIT and the CPU's clock settle.
const WARM_UP_MS = 200;
const warmUntil = Date.now() + WARM_UP_MS;
do {
  await machine.run(input, runOptions()).result;
} while (Date.now() < warmUntil);
const times = [];
for (let i = 0; i < Number(runsArg); i++) {
  const t0 = process.hrtime.bigint();
  await machine.run(input, runOptions()).result;
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)].toFixed(3));
