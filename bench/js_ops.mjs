// xuictl's destructive commands done with the npm package 3xui-api-client,
// through the methods it offers. Usage: node js_ops.mjs classic|v3 OP [ID] [EMAIL]
//   OP: traffic-reset ID EMAIL | reset-all | inbound-reset ID | inbound-reset-all
//       | purge ID | purge-all
// Prints the panel's answer as JSON; exits 1 when the panel says success:false.
// bench/run knows which OPs the library cannot do (prints n/a there).
import { checked, fail, main, makeClient } from './js_common.mjs';

const [api, op, idText, email] = process.argv.slice(2);
const id = idText === undefined ? undefined : Number(idText);

await main(async () => {
    const c = makeClient();
    await c.login();
    const v3 = api === 'v3';
    let res;
    switch (op) {
        case 'traffic-reset':
            res = v3 ? await c.resetModernClientTrafficByEmail(email) : await c.resetClientTraffic(id, email);
            break;
        case 'reset-all':
            res = await c.resetAllTraffics();
            break;
        case 'inbound-reset':
            if (v3) {
                // v3.1+ has no per-inbound route: read the inbound, bulk-reset its emails
                const inbound = checked('getInbound', await c.getInbound(id)).obj;
                let settings = inbound.settings;
                if (typeof settings === 'string') {
                    settings = JSON.parse(settings);
                }
                const emails = (settings?.clients ?? []).map((cl) => cl.email);
                res = await c.bulkResetTrafficModernClients({ emails });
            } else {
                res = await c.resetAllClientTraffics(id);
            }
            break;
        case 'inbound-reset-all':
            res = v3 ? await c.resetAllModernClientTraffics() : await c.resetAllClientTraffics(-1);
            break;
        case 'purge':
            if (v3) {
                fail('no per-inbound delete-depleted method for v3.1+ panels');
            }
            res = await c.deleteDepletedClients(id);
            break;
        case 'purge-all':
            res = v3 ? await c.deleteDepletedModernClients() : await c.deleteDepletedClients(-1);
            break;
        default:
            fail(`unknown op ${op}`);
    }
    checked(op, res);
    process.stdout.write(JSON.stringify(res) + '\n');
});
