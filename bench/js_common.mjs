// Shared by js_stats.mjs and js_ops.mjs: build a 3xui-api-client from the same
// environment xuictl reads (XUI_URL, XUI_USERNAME, XUI_PASSWORD), exactly as a
// user of the library would (default options: auto panel detection, in-memory
// session). The library is CommonJS; its module.exports is the ThreeXUI class.
import ThreeXUI from '3xui-api-client';

export function makeClient() {
    const { XUI_URL, XUI_USERNAME, XUI_PASSWORD } = process.env;
    if (!XUI_URL || !XUI_USERNAME || !XUI_PASSWORD) {
        fail('set XUI_URL, XUI_USERNAME and XUI_PASSWORD');
    }
    return new ThreeXUI(XUI_URL, XUI_USERNAME, XUI_PASSWORD);
}

// The panel answers handled errors as HTTP 200 {success:false}: check it.
export function checked(what, res) {
    if (!res || res.success !== true) {
        fail(`${what}: panel said ${JSON.stringify(res && res.msg !== undefined ? res.msg : res)}`);
    }
    return res;
}

export function fail(message) {
    process.stderr.write(`js: error: ${message}\n`);
    process.exit(1);
}

// Exits explicitly: the library's in-memory session store arms a one-hour
// setTimeout (not unref'd) at login, which would keep node alive for an hour.
// stdout is a file or a pipe here, and both are written synchronously.
export async function main(fn) {
    try {
        await fn();
    } catch (err) {
        const status = err && err.response ? ` (HTTP ${err.response.status})` : '';
        fail(`${err && err.message ? err.message : err}${status}`);
    }
    process.exit(0);
}
