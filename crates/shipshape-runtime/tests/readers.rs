//! The compose and Kubernetes readers: what lands in each RuntimeSpec field,
//! and where it points.

use std::collections::HashMap;

use shipshape_runtime::spec::{Origin, Platform, Profile};
use shipshape_runtime::{Kind, Manifest, read};

fn manifest(yaml: &str) -> Manifest {
    read(yaml, "m.yaml", &HashMap::new()).unwrap_or_else(|e| panic!("{e}"))
}

fn line(at: &Origin) -> u32 {
    match at {
        Origin::Span(region) => region.start.line,
        Origin::Field(f) => panic!("no line for {f}"),
    }
}

const COMPOSE: &str = r#"
x-hardening: &hardening
  read_only: true
  cap_drop: [ALL]
services:
  web:
    <<: *hardening
    image: "nginx:${TAG:-1.27}"
    user: "101:101"
    privileged: true
    cap_add: [net_admin, CAP_SYS_TIME]
    security_opt:
      - seccomp:unconfined
      - apparmor=unconfined
      - no-new-privileges:true
      - label:disable
    network_mode: host
    pid: host
    ipc: host
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - data:/data
      - ./conf:/etc/nginx/conf.d:ro,rshared
      - type: bind
        source: /etc
        target: /host/etc
        bind:
          propagation: shared
    devices: ["/dev/fuse:/dev/fuse"]
    ports:
      - "80:80"
      - "127.0.0.1:8443:443/tcp"
      - "9000"
      - target: 22
        published: "2222"
        host_ip: 0.0.0.0
    environment:
      API_TOKEN: ghp_0123456789abcdefghijABCDEFGHIJ012345
      FROM_VAR: ${SECRET}
      FROM_HOST:
    mem_limit: 256m
    pids_limit: 100
    restart: on-failure:3
    healthcheck:
      disable: true
    build:
      context: ./web
      dockerfile: Dockerfile.prod
  db:
    image: postgres
    environment:
      - POSTGRES_PASSWORD=hunter2
      - POSTGRES_USER
    deploy:
      resources:
        limits: {cpus: "0.5", memory: 512M, pids: 50}
      restart_policy: {condition: any}
volumes:
  data: {}
"#;

#[test]
fn compose_services_become_specs() {
    let m = manifest(COMPOSE);
    assert_eq!(m.kind, Some(Kind::Compose));
    assert!(m.issues.is_empty(), "{:?}", m.issues);
    assert_eq!(m.specs.len(), 2);
    let web = &m.specs[0];
    assert_eq!(web.platform, Platform::Docker);
    assert_eq!(web.name, "service `web`");
    assert_eq!(line(&web.at), 6);
    assert_eq!(
        web.image.as_ref().map(|f| f.value.as_str()),
        Some("nginx:1.27")
    );
    assert_eq!(web.user.as_ref().map(|f| f.value.as_str()), Some("101:101"));
    assert_eq!(
        web.privileged.as_ref().map(|f| (f.value, line(&f.at))),
        Some((true, 10))
    );
    // Merged from the anchor, pointing at the anchor's lines.
    assert_eq!(
        web.read_only_root.as_ref().map(|f| (f.value, line(&f.at))),
        Some((true, 3))
    );
    let caps: Vec<&str> = web.cap_add.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(caps, ["NET_ADMIN", "SYS_TIME"]);
    assert!(web.drops_all());
    assert_eq!(
        web.seccomp.as_ref().map(|f| &f.value),
        Some(&Profile::Unconfined)
    );
    assert_eq!(
        web.apparmor.as_ref().map(|f| &f.value),
        Some(&Profile::Unconfined)
    );
    assert_eq!(web.no_new_privileges.as_ref().map(|f| f.value), Some(true));
    assert_eq!(
        web.selinux.as_ref().map(|f| f.value.as_str()),
        Some("disable")
    );
    for ns in [&web.host_network, &web.host_pid, &web.host_ipc] {
        assert_eq!(ns.as_ref().map(|f| f.value), Some(true));
    }
    type MountRow<'a> = (Option<&'a str>, &'a str, bool, Option<&'a str>, u32);
    let mounts: Vec<MountRow> = web
        .mounts
        .iter()
        .map(|m| {
            (
                m.host_path.as_deref(),
                m.target.as_str(),
                m.read_only,
                m.propagation.as_ref().map(|p| p.value.as_str()),
                line(&m.at),
            )
        })
        .collect();
    assert_eq!(
        mounts,
        [
            (
                Some("/var/run/docker.sock"),
                "/var/run/docker.sock",
                true,
                None,
                21
            ),
            (None, "/data", false, None, 22),
            (
                Some("./conf"),
                "/etc/nginx/conf.d",
                true,
                Some("rshared"),
                23
            ),
            (Some("/etc"), "/host/etc", false, Some("shared"), 24),
        ]
    );
    assert_eq!(web.devices[0].value, "/dev/fuse:/dev/fuse");
    type PortRow<'a> = (Option<&'a str>, Option<u32>, Option<u32>, bool);
    let ports: Vec<PortRow> = web
        .ports
        .iter()
        .map(|p| {
            (
                p.host_ip.as_deref(),
                p.host_port,
                p.container_port,
                p.published,
            )
        })
        .collect();
    assert_eq!(
        ports,
        [
            (None, Some(80), Some(80), true),
            (Some("127.0.0.1"), Some(8443), Some(443), true),
            (None, None, Some(9000), true),
            (Some("0.0.0.0"), Some(2222), Some(22), true),
        ]
    );
    let env: Vec<(&str, Option<&str>)> = web
        .env
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(
        env,
        [
            (
                "API_TOKEN",
                Some("ghp_0123456789abcdefghijABCDEFGHIJ012345")
            ),
            ("FROM_VAR", None),
            ("FROM_HOST", None),
        ]
    );
    assert_eq!(
        web.memory_limit.as_ref().map(|f| f.value.as_str()),
        Some("256m")
    );
    assert_eq!(web.pids_limit.as_ref().map(|f| f.value), Some(100));
    let restart = web
        .restart
        .as_ref()
        .map(|f| (f.value.policy.as_str(), f.value.max_retries));
    assert_eq!(restart, Some(("on-failure", Some(3))));
    assert_eq!(
        web.healthcheck_disabled.as_ref().map(|f| f.value),
        Some(true)
    );
    assert_eq!(m.builds.len(), 1);
    assert_eq!(m.builds[0].context, "./web");
    assert_eq!(m.builds[0].dockerfile.as_deref(), Some("Dockerfile.prod"));

    let db = &m.specs[1];
    let env: Vec<(&str, Option<&str>)> = db
        .env
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(
        env,
        [
            ("POSTGRES_PASSWORD", Some("hunter2")),
            ("POSTGRES_USER", None)
        ]
    );
    assert_eq!(db.cpu_limit.as_ref().map(|f| f.value.as_str()), Some("0.5"));
    assert_eq!(
        db.memory_limit.as_ref().map(|f| f.value.as_str()),
        Some("512M")
    );
    assert_eq!(db.pids_limit.as_ref().map(|f| f.value), Some(50));
    assert_eq!(
        db.restart
            .as_ref()
            .map(|f| (f.value.policy.as_str(), f.value.max_retries)),
        Some(("always", None))
    );
}

#[test]
fn compose_interpolation_uses_the_given_variables() {
    let vars = HashMap::from([("TAG".to_string(), "2.0".to_string())]);
    let m = read(
        "services:\n  a:\n    image: app:${TAG}\n    user: ${RUN_AS:?set RUN_AS}\n",
        "compose.yaml",
        &vars,
    )
    .expect("reads");
    assert_eq!(
        m.specs[0].image.as_ref().map(|f| f.value.as_str()),
        Some("app:2.0")
    );
    // An unset required variable is noted, not an error (see below).
    assert!(m.issues.is_empty());
    assert!(
        m.notes[0]
            .message
            .starts_with("required variable `RUN_AS` is not set")
    );
    assert_eq!(m.notes[0].at.map(|r| r.start.line), Some(4));
}

#[test]
fn compose_version_1_files_are_read() {
    let m = manifest("vpn:\n  build: .\n  net: host\n  cap_add:\n    - NET_ADMIN\n");
    assert_eq!(m.kind, Some(Kind::Compose));
    assert_eq!(
        m.specs[0].host_network.as_ref().map(|f| f.value),
        Some(true)
    );
}

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/app: unconfined
    spec:
      hostNetwork: true
      automountServiceAccountToken: false
      securityContext:
        runAsUser: 1000
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      volumes:
        - name: sock
          hostPath:
            path: /var/run/docker.sock
        - name: scratch
          emptyDir: {}
      initContainers:
        - name: init
          image: busybox
          securityContext:
            runAsUser: 0
      containers:
        - name: app
          image: registry.example.com/app:1.2@sha256:0123
          securityContext:
            privileged: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              add: ["SYS_ADMIN"]
              drop: ["ALL"]
            seccompProfile:
              type: Unconfined
          volumeMounts:
            - name: sock
              mountPath: /var/run/docker.sock
              readOnly: true
            - name: scratch
              mountPath: /tmp
          ports:
            - containerPort: 8080
              hostPort: 80
          env:
            - name: PASSWORD
              value: hunter2
            - name: FROM_SECRET
              valueFrom:
                secretKeyRef: {name: s, key: k}
          resources:
            limits: {cpu: 500m, memory: 128Mi}
            requests: {cpu: 100m}
"#;

#[test]
fn kubernetes_containers_become_specs_with_pod_settings_merged() {
    let m = manifest(DEPLOYMENT);
    assert_eq!(m.kind, Some(Kind::Kubernetes));
    assert!(m.issues.is_empty(), "{:?}", m.issues);
    assert_eq!(m.specs.len(), 2);
    let (app, init) = (&m.specs[0], &m.specs[1]);
    assert_eq!(app.platform, Platform::Kubernetes);
    assert_eq!(app.name, "Deployment `web`, container `app`");
    assert_eq!(app.workload, "Deployment `web`");
    assert_eq!(line(&app.at), 30);
    // Pod-level user applies unless the container sets its own.
    assert_eq!(
        app.user.as_ref().map(|f| (f.value.as_str(), line(&f.at))),
        Some(("1000", 14))
    );
    assert_eq!(
        init.user.as_ref().map(|f| (f.value.as_str(), line(&f.at))),
        Some(("0", 28))
    );
    assert_eq!(app.run_as_non_root.as_ref().map(|f| f.value), Some(true));
    assert_eq!(
        app.host_network.as_ref().map(|f| (f.value, line(&f.at))),
        Some((true, 11))
    );
    assert_eq!(app.automount_token.as_ref().map(|f| f.value), Some(false));
    assert_eq!(app.privileged.as_ref().map(|f| f.value), Some(true));
    assert_eq!(app.no_new_privileges.as_ref().map(|f| f.value), Some(true));
    assert_eq!(app.read_only_root.as_ref().map(|f| f.value), Some(true));
    assert_eq!(app.cap_add[0].value, "SYS_ADMIN");
    assert!(app.drops_all());
    // Container seccomp overrides the pod's; the init container inherits it.
    assert_eq!(
        app.seccomp.as_ref().map(|f| &f.value),
        Some(&Profile::Unconfined)
    );
    assert_eq!(
        init.seccomp.as_ref().map(|f| &f.value),
        Some(&Profile::RuntimeDefault)
    );
    assert_eq!(
        app.apparmor.as_ref().map(|f| &f.value),
        Some(&Profile::Unconfined)
    );
    assert_eq!(init.apparmor, None);
    assert_eq!(app.mounts.len(), 1);
    assert_eq!(
        app.mounts[0].host_path.as_deref(),
        Some("/var/run/docker.sock")
    );
    assert!(app.mounts[0].read_only);
    assert_eq!(line(&app.mounts[0].at), 21);
    assert_eq!(app.ports[0].host_port, Some(80));
    assert!(app.ports[0].published);
    let env: Vec<(&str, Option<&str>)> = app
        .env
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(env, [("PASSWORD", Some("hunter2")), ("FROM_SECRET", None)]);
    assert_eq!(
        app.memory_limit.as_ref().map(|f| f.value.as_str()),
        Some("128Mi")
    );
    assert_eq!(
        app.cpu_request.as_ref().map(|f| f.value.as_str()),
        Some("100m")
    );
    assert_eq!(app.memory_request, None);
}

#[test]
fn every_workload_kind_and_lists_are_read() {
    let container = "containers: [{name: c, image: i}]";
    let docs = [
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec: {{{container}}}\n"),
        format!(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: cj}}\nspec: {{jobTemplate: {{spec: {{template: {{spec: {{{container}}}}}}}}}}}\n"
        ),
        format!(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: StatefulSet\n  metadata: {{name: s}}\n  spec: {{template: {{spec: {{{container}}}}}}}\n- apiVersion: v1\n  kind: Service\n  metadata: {{name: svc}}\n"
        ),
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec: {template: {spec: {ephemeralContainers: [{name: e, image: i}]}}}\n".to_string(),
    ];
    let text = docs.join("---\n");
    let m = manifest(&text);
    let names: Vec<&str> = m.specs.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Pod `p`, container `c`",
            "CronJob `cj`, container `c`",
            "StatefulSet `s`, container `c`",
            "DaemonSet `d`, container `e`",
        ]
    );
}

#[test]
fn neither_compose_nor_kubernetes_has_no_kind() {
    let m = manifest("name: CI\non: [push]\njobs: {}\n");
    assert_eq!(m.kind, None);
    assert!(m.specs.is_empty());
}

#[test]
fn escaped_dollars_are_literal_text_and_variables_are_not() {
    let m = manifest(
        "services:\n  a:\n    image: a:1\n    environment:\n      - PASSWORD=pa$$word\n      - TOKEN=$${X}\n      - FROM=${X}\n",
    );
    let env: Vec<Option<&str>> = m.specs[0].env.iter().map(|e| e.value.as_deref()).collect();
    assert_eq!(env, [Some("pa$word"), Some("${X}"), None]);
}

#[test]
fn an_unset_required_variable_is_a_placeholder_and_a_note() {
    let yaml = "services:\n  web:\n    image: \"app:${TAG:?set TAG}\"\n    privileged: true\n";
    let m = manifest(yaml);
    assert!(m.issues.is_empty(), "{:?}", m.issues);
    assert_eq!(m.notes.len(), 1);
    assert!(m.notes[0].message.contains("`TAG`"), "{:?}", m.notes);
    assert_eq!(m.notes[0].at.map(|r| r.start.line), Some(3));
    let spec = &m.specs[0];
    assert_eq!(
        spec.image.as_ref().map(|i| i.value.as_str()),
        Some("app:${TAG}")
    );
    assert!(spec.privileged.as_ref().is_some_and(|p| p.value));
    // Set, the value is used and nothing is noted.
    let vars = HashMap::from([("TAG".to_string(), "1.4".to_string())]);
    let m = read(yaml, "m.yaml", &vars).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.notes.is_empty());
    assert_eq!(
        m.specs[0].image.as_ref().map(|i| i.value.as_str()),
        Some("app:1.4")
    );
    // Other interpolation errors are still issues.
    let m = manifest("services:\n  web:\n    image: \"app:${TAG\"\n");
    assert_eq!(m.issues.len(), 1);
}
