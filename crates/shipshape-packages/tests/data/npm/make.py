#!/usr/bin/env python3
"""Regenerates the npm fixtures with npm itself.

A few tiny packages are packed with `npm pack` and served by a throwaway
registry on 127.0.0.1 (static packuments and tarballs), then `npm install`
writes a real node_modules tree and package-lock.json files in lockfile
versions 1, 2 and 3. Run from anywhere; writes beside this script.
"""

import base64
import functools
import hashlib
import http.server
import json
import pathlib
import shutil
import subprocess
import tempfile
import threading

HERE = pathlib.Path(__file__).resolve().parent

# name, version, package.json extras, dependencies
PACKAGES = [
    ("left-pad-demo", "1.0.0", {"license": "MIT"}, {}),
    ("left-pad-demo", "2.0.0", {"license": "ISC"}, {}),
    ("alpha-demo", "1.0.0", {"license": "MIT"}, {"left-pad-demo": "^1.0.0"}),
    ("beta-demo", "1.2.0", {"license": "Apache-2.0"}, {"left-pad-demo": "^2.0.0"}),
    ("@demo/scoped", "0.3.0", {"license": "(MIT OR Apache-2.0)"}, {}),
    # The old forms of the license field.
    ("old-license-object", "0.1.0", {"license": {"type": "BSD-2-Clause", "url": "https://example.org/"}}, {}),
    ("old-licenses-array", "0.2.0", {"licenses": [{"type": "MIT"}, {"type": "GPL-2.0"}]}, {}),
    ("devtool-demo", "4.5.6", {"license": "BSD-3-Clause"}, {}),
]

APP = {
    "name": "demo-app",
    "version": "1.0.0",
    "private": True,
    "dependencies": {
        "alpha-demo": "^1.0.0",
        "beta-demo": "^1.2.0",
        "@demo/scoped": "^0.3.0",
        "old-license-object": "^0.1.0",
        "old-licenses-array": "^0.2.0",
        "aliased": "npm:left-pad-demo@2.0.0",
        "local-lib": "file:packages/local-lib",
    },
    "devDependencies": {"devtool-demo": "^4.5.6"},
}


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        served = tmp / "registry"
        (served / "tarballs").mkdir(parents=True)
        handler = functools.partial(
            http.server.SimpleHTTPRequestHandler, directory=str(served)
        )
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()

        packuments = {}
        for name, version, extras, deps in PACKAGES:
            src = tmp / "src" / f"{name.replace('/', '-')}-{version}"
            src.mkdir(parents=True)
            manifest = {"name": name, "version": version, **extras, "dependencies": deps}
            (src / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
            (src / "index.js").write_text(f"module.exports = {json.dumps(name)};\n")
            out = subprocess.run(
                ["npm", "pack", "--json", "--pack-destination", str(served / "tarballs")],
                cwd=src, check=True, capture_output=True, text=True,
            )
            tarball = served / "tarballs" / json.loads(out.stdout)[0]["filename"]
            data = tarball.read_bytes()
            dist = {
                "tarball": f"{url}/tarballs/{tarball.name}",
                "shasum": hashlib.sha1(data).hexdigest(),
                "integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode(),
            }
            doc = packuments.setdefault(name, {"name": name, "versions": {}, "dist-tags": {}})
            doc["versions"][version] = {**manifest, "dist": dist}
            doc["dist-tags"]["latest"] = version
        for name, doc in packuments.items():
            path = served / name  # `@demo/scoped` is served from `@demo/scoped`
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(doc))

        for lockfile_version in (1, 2, 3):
            app = tmp / f"app{lockfile_version}"
            (app / "packages" / "local-lib").mkdir(parents=True)
            (app / "packages" / "local-lib" / "package.json").write_text(
                json.dumps({"name": "local-lib", "version": "0.0.1", "license": "UNLICENSED"}, indent=2) + "\n"
            )
            (app / "package.json").write_text(json.dumps(APP, indent=2) + "\n")
            subprocess.run(
                ["npm", "install", "--registry", url + "/", "--cache", str(tmp / "cache"),
                 "--lockfile-version", str(lockfile_version), "--no-audit", "--no-fund"],
                cwd=app, check=True,
            )
            if lockfile_version == 3:
                dest = HERE / "app"
                shutil.rmtree(dest, ignore_errors=True)
                shutil.copytree(app, dest, symlinks=True)
            else:
                dest = HERE / f"lock-v{lockfile_version}"
                shutil.rmtree(dest, ignore_errors=True)
                dest.mkdir()
                shutil.copy(app / "package-lock.json", dest / "package-lock.json")
        server.shutdown()


if __name__ == "__main__":
    main()
