//! What dockerd hands the authorization plugin: an HTTP request on its
//! socket, the plugin question inside it, and the API request body inside
//! that (a container create, an exec, an update, a plugin's privileges, a
//! volume). The first byte picks the layer;
//! none may panic, and each is judged by the runtime rules as the plugin
//! judges it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_engine::authz::{self, Call};
use shipshape_rules::runtime::{RULES, check};
use shipshape_runtime::create;

fn judge(call: &Call, body: &[u8]) {
    let spec = match call {
        Call::Create { name } => create::container(body, name.as_deref()),
        Call::Exec { container } => create::exec(body, container),
        Call::Update { container } => create::update(body, container),
        Call::Plugin { remote } => create::plugin(body, remote),
        Call::Volume => create::volume(body),
        Call::Other => return,
    };
    if let Ok(spec) = spec {
        let _ = check(std::slice::from_ref(&spec), RULES);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    match which % 6 {
        0 => {
            let mut reader = std::io::BufReader::new(rest);
            while let Ok(Some(request)) = authz::request(&mut reader) {
                if let Ok(q) = authz::question(&request.body) {
                    judge(&q.call(), q.body.as_deref().unwrap_or_default());
                }
            }
        }
        1 => {
            if let Ok(q) = authz::question(rest) {
                judge(&q.call(), q.body.as_deref().unwrap_or_default());
            }
        }
        2 => judge(&Call::Create { name: Some("c".into()) }, rest),
        3 => judge(&Call::Update { container: "c".into() }, rest),
        4 => judge(&Call::Plugin { remote: "p/q:1".into() }, rest),
        _ => judge(&Call::Volume, rest),
    }
});
