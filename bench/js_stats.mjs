// The `xuictl stats -o json` job done with the npm package 3xui-api-client:
// log in, list inbounds, print one summary row per client
// (email, up, down, used, quota, percent, expiry, enable) as JSON on stdout.
import { checked, main, makeClient } from './js_common.mjs';

await main(async () => {
    const client = makeClient();
    await client.login();
    const res = checked('getInbounds', await client.getInbounds());
    const rows = [];
    let up = 0;
    let down = 0;
    for (const inbound of res.obj ?? []) {
        // classic panels (<= 3.0.x) send settings as a JSON string, v3.1+ as an object
        let settings = inbound.settings;
        if (typeof settings === 'string') {
            settings = settings === '' ? {} : JSON.parse(settings);
        }
        const configs = new Map();
        for (const c of settings?.clients ?? []) {
            configs.set(c.email, c);
        }
        for (const s of inbound.clientStats ?? []) {
            const cfg = configs.get(s.email) ?? {};
            const used = s.up + s.down;
            const quota = s.total ?? cfg.totalGB ?? 0;
            rows.push({
                inbound: inbound.id,
                email: s.email,
                up: s.up,
                down: s.down,
                used,
                quota,
                percent: quota > 0 ? (used * 100) / quota : null,
                expiry: s.expiryTime ?? cfg.expiryTime ?? 0,
                enable: s.enable && cfg.enable !== false,
            });
            up += s.up;
            down += s.down;
        }
    }
    const out = { clients: rows, totals: { clients: rows.length, up, down, used: up + down } };
    process.stdout.write(JSON.stringify(out) + '\n');
});
