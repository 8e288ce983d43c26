//! A blocking client for what shipshape reads from the Docker Engine API:
//! containers and their processes, images and their history, the daemon's
//! info and version. Everything comes back as the API's JSON, which the
//! readers parse the same way as a saved `docker inspect`.
//!
//! The transport is bollard: a unix socket by default, `DOCKER_HOST`
//! honoured (`unix://`, `tcp://`, with TLS when `DOCKER_TLS_VERIFY` and
//! `DOCKER_CERT_PATH` are set), the API version negotiated down to the
//! daemon's.

pub mod authz;
pub mod host;

use std::collections::{BTreeMap, HashMap};
use std::pin::Pin;
use std::time::Duration;

use bollard::Docker;
use bollard::models::EventMessage;
use bollard::query_parameters::{
    EventsOptions, ListContainersOptionsBuilder, ListImagesOptionsBuilder,
    StopContainerOptionsBuilder,
};
use futures_util::Stream;
use serde_json::Value;

/// Why the daemon could not be asked.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(
        "cannot reach the Docker daemon at {host}: {reason} (is it running? set DOCKER_HOST to use another)"
    )]
    Unreachable { host: String, reason: String },
    #[error("permission denied on {host}: run as root or as a member of the `docker` group")]
    PermissionDenied { host: String },
    #[error("the Docker daemon at {host} answered {what} with an error: {reason}")]
    Api {
        host: String,
        what: String,
        reason: String,
    },
    #[error("cannot set up the connection to {host}: {reason}")]
    Setup { host: String, reason: String },
    #[error("cannot start the I/O runtime: {0}")]
    Runtime(String),
}

/// A connection to one daemon.
pub struct Engine {
    docker: Docker,
    runtime: tokio::runtime::Runtime,
    /// Where the daemon is, for messages.
    pub host: String,
}

impl Engine {
    /// Connects to the daemon `DOCKER_HOST` names (the local socket by
    /// default), negotiates the API version and checks that it answers.
    pub fn connect() -> Result<Engine, EngineError> {
        let host = std::env::var("DOCKER_HOST")
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "unix:///var/run/docker.sock".to_string());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| EngineError::Runtime(e.to_string()))?;
        // TLS to a `tcp://` daemon needs a process-wide crypto provider;
        // installing it again (a second connection) is refused, harmlessly.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let docker = Docker::connect_with_defaults().map_err(|e| match e {
            bollard::errors::Error::SocketNotFoundError(_) => EngineError::Unreachable {
                host: host.clone(),
                reason: e.to_string(),
            },
            _ => EngineError::Setup {
                host: host.clone(),
                reason: e.to_string(),
            },
        })?;
        let docker = runtime
            .block_on(docker.negotiate_version())
            .map_err(|e| classify(&host, &e, "the version negotiation"))?;
        runtime
            .block_on(docker.ping())
            .map_err(|e| classify(&host, &e, "a ping"))?;
        Ok(Engine {
            docker,
            runtime,
            host,
        })
    }

    fn json<T: serde::Serialize>(
        &self,
        what: &str,
        result: Result<T, bollard::errors::Error>,
    ) -> Result<Value, EngineError> {
        let value = result.map_err(|e| classify(&self.host, &e, what))?;
        serde_json::to_value(value).map_err(|e| EngineError::Api {
            host: self.host.clone(),
            what: what.to_string(),
            reason: e.to_string(),
        })
    }

    /// Ids of the containers: running ones, or all with `all`.
    pub fn containers(&self, all: bool) -> Result<Vec<String>, EngineError> {
        let options = ListContainersOptionsBuilder::default().all(all).build();
        let list = self
            .runtime
            .block_on(self.docker.list_containers(Some(options)))
            .map_err(|e| classify(&self.host, &e, "the container list"))?;
        Ok(list.into_iter().filter_map(|c| c.id).collect())
    }

    /// `docker inspect` of a container, by id or name.
    pub fn inspect(&self, container: &str) -> Result<Value, EngineError> {
        let result = self
            .runtime
            .block_on(self.docker.inspect_container(container, None));
        self.json(&format!("inspect of container `{container}`"), result)
    }

    /// The command line of each process in a running container.
    pub fn processes(&self, container: &str) -> Result<Vec<String>, EngineError> {
        let top = self
            .runtime
            .block_on(self.docker.top_processes(container, None))
            .map_err(|e| {
                classify(
                    &self.host,
                    &e,
                    &format!("the process list of `{container}`"),
                )
            })?;
        let titles = top.titles.unwrap_or_default();
        let column = titles
            .iter()
            .position(|t| t == "CMD" || t == "COMMAND")
            .unwrap_or(titles.len().saturating_sub(1));
        Ok(top
            .processes
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.get(column).cloned())
            .collect())
    }

    /// Ids of every image.
    pub fn images(&self) -> Result<Vec<String>, EngineError> {
        let options = ListImagesOptionsBuilder::default().all(false).build();
        let list = self
            .runtime
            .block_on(self.docker.list_images(Some(options)))
            .map_err(|e| classify(&self.host, &e, "the image list"))?;
        Ok(list.into_iter().map(|i| i.id).collect())
    }

    /// `docker image inspect` of an image.
    pub fn inspect_image(&self, image: &str) -> Result<Value, EngineError> {
        let result = self.runtime.block_on(self.docker.inspect_image(image));
        self.json(&format!("inspect of image `{image}`"), result)
    }

    /// The `created_by` of each history entry of an image, newest first.
    pub fn history(&self, image: &str) -> Result<Vec<String>, EngineError> {
        let items = self
            .runtime
            .block_on(self.docker.image_history(image))
            .map_err(|e| classify(&self.host, &e, &format!("the history of `{image}`")))?;
        Ok(items.into_iter().map(|i| i.created_by).collect())
    }

    /// Streams `docker save` of an image (`GET /images/{name}/get`) into
    /// `out`; returns the bytes written.
    pub fn save_image(
        &self,
        image: &str,
        out: &mut dyn std::io::Write,
    ) -> Result<u64, EngineError> {
        use futures_util::StreamExt;
        let what = format!("the export of image `{image}`");
        self.runtime.block_on(async {
            let mut stream = Box::pin(self.docker.export_image(image));
            let mut written = 0u64;
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| classify(&self.host, &e, &what))?;
                out.write_all(&chunk).map_err(|e| EngineError::Api {
                    host: self.host.clone(),
                    what: what.clone(),
                    reason: format!("cannot write the export: {e}"),
                })?;
                written += chunk.len() as u64;
            }
            Ok(written)
        })
    }

    /// An image streamed into a temporary file, to be read like any
    /// `docker save` archive; the file goes with the directory.
    pub fn saved(
        &self,
        reference: &str,
    ) -> Result<(tempfile::TempDir, std::path::PathBuf), EngineError> {
        let failed = |e: std::io::Error| EngineError::Api {
            host: self.host.clone(),
            what: format!("the export of image `{reference}`"),
            reason: format!("cannot write the export: {e}"),
        };
        let temp = tempfile::Builder::new()
            .prefix("shipshape-image-")
            .tempdir()
            .map_err(failed)?;
        let path = temp.path().join("image.tar");
        let mut file = std::fs::File::create(&path).map_err(failed)?;
        self.save_image(reference, &mut file)?;
        Ok((temp, path))
    }

    /// `docker exec` inspect of an exec instance: its `ProcessConfig`
    /// says whether it runs privileged and as whom.
    pub fn inspect_exec(&self, exec: &str) -> Result<Value, EngineError> {
        let result = self.runtime.block_on(self.docker.inspect_exec(exec));
        self.json(&format!("inspect of exec `{exec}`"), result)
    }

    /// Stops a container: its stop signal, then a kill after `grace`
    /// seconds.
    pub fn stop(&self, container: &str, grace: i32) -> Result<(), EngineError> {
        let options = StopContainerOptionsBuilder::new().t(grace).build();
        self.runtime
            .block_on(self.docker.stop_container(container, Some(options)))
            .map_err(|e| classify(&self.host, &e, &format!("the stop of `{container}`")))
    }

    /// Pauses a container (freezes its processes).
    pub fn pause(&self, container: &str) -> Result<(), EngineError> {
        self.runtime
            .block_on(self.docker.pause_container(container))
            .map_err(|e| classify(&self.host, &e, &format!("the pause of `{container}`")))
    }

    /// The daemon's stream of container and image events, from `since`
    /// (nanoseconds since the epoch; now when `None`) to `until` (seconds
    /// since the epoch; for ever when `None`).
    pub fn events(&self, since: Option<i64>, until: Option<u64>) -> Events<'_> {
        let filters = HashMap::from([(
            "type".to_string(),
            vec!["container".to_string(), "image".to_string()],
        )]);
        let options = EventsOptions {
            since: since.map(|n| {
                format!(
                    "{}.{:09}",
                    n.div_euclid(1_000_000_000),
                    n.rem_euclid(1_000_000_000)
                )
            }),
            until: until.map(|u| u.to_string()),
            filters: Some(filters),
        };
        Events {
            engine: self,
            stream: Box::pin(self.docker.events(Some(options))),
        }
    }

    /// `GET /info`.
    pub fn info(&self) -> Result<Value, EngineError> {
        let result = self.runtime.block_on(self.docker.info());
        self.json("/info", result)
    }

    /// `GET /version`.
    pub fn version(&self) -> Result<Value, EngineError> {
        let result = self.runtime.block_on(self.docker.version());
        self.json("/version", result)
    }
}

/// One event of the daemon's stream: what happened (`create`, `start`,
/// `exec_create: sh`, `pull`) to which object (a container or an image).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// `container` or `image`.
    pub kind: String,
    pub action: String,
    /// The container's id, or the image's reference or id.
    pub id: String,
    /// The actor's attributes: `name`, `image`, `execID`, labels.
    pub attributes: BTreeMap<String, String>,
    /// When, in nanoseconds since the epoch.
    pub time: i64,
}

/// What waiting on the event stream gave.
#[derive(Debug)]
pub enum Next {
    Event(Event),
    /// Nothing came within the wait.
    Quiet,
    /// The stream ended: the daemon closed it (at `until`, or going down).
    End,
    Failed(EngineError),
}

/// The event stream of one connection.
pub struct Events<'a> {
    engine: &'a Engine,
    stream: Pin<Box<dyn Stream<Item = Result<EventMessage, bollard::errors::Error>> + 'a>>,
}

impl Events<'_> {
    /// The next event, waiting at most `wait`.
    pub fn next(&mut self, wait: Duration) -> Next {
        use futures_util::StreamExt;
        let engine = self.engine;
        let polled = engine
            .runtime
            .block_on(async { tokio::time::timeout(wait, self.stream.next()).await });
        match polled {
            Err(_) => Next::Quiet,
            Ok(None) => Next::End,
            Ok(Some(Err(e))) => Next::Failed(classify(&engine.host, &e, "the event stream")),
            Ok(Some(Ok(message))) => Next::Event(event(message)),
        }
    }
}

fn event(message: EventMessage) -> Event {
    let kind = message
        .typ
        .and_then(|t| serde_json::to_value(t).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let (id, attributes) = match message.actor {
        Some(actor) => (
            actor.id.unwrap_or_default(),
            actor.attributes.unwrap_or_default().into_iter().collect(),
        ),
        None => (String::new(), BTreeMap::new()),
    };
    Event {
        kind,
        action: message.action.unwrap_or_default(),
        id,
        attributes,
        time: message
            .time_nano
            .or(message.time.map(|t| t.saturating_mul(1_000_000_000)))
            .unwrap_or(0),
    }
}

/// Turns a transport or API error into one that says what to do.
fn classify(host: &str, e: &bollard::errors::Error, what: &str) -> EngineError {
    let text = e.to_string();
    let chain = {
        let mut all = text.clone();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            all.push_str(": ");
            all.push_str(&s.to_string());
            source = s.source();
        }
        all
    };
    let lower = chain.to_ascii_lowercase();
    if lower.contains("permission denied") {
        EngineError::PermissionDenied {
            host: host.to_string(),
        }
    } else if lower.contains("connection refused")
        || lower.contains("no such file")
        || lower.contains("error trying to connect")
        || lower.contains("client error (connect)")
    {
        EngineError::Unreachable {
            host: host.to_string(),
            reason: chain,
        }
    } else {
        EngineError::Api {
            host: host.to_string(),
            what: what.to_string(),
            reason: chain,
        }
    }
}
