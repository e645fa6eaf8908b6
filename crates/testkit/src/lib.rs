//! Test harness shared by the workspace's tests: a throwaway PostgreSQL
//! cluster started from the system's `initdb`/`pg_ctl`, and a ChromeDriver
//! for headless Chromium. Nothing is mocked: these are the real servers.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sqlx::Connection;

/// A free TCP port on loopback (free when asked; good enough for tests).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on loopback")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false)
}

fn find_pg_bin() -> Option<PathBuf> {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return Some(dir);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop()
}

/// Runs a PostgreSQL tool, as the `postgres` user when we are root
/// (PostgreSQL refuses to run as root).
fn pg_command(bin: &Path, tool: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

fn run(mut c: Command, what: &str) -> Result<(), String> {
    let out = c
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

struct Cluster {
    admin_url: String,
}

fn start_cluster() -> Result<Cluster, String> {
    let bin = find_pg_bin().ok_or_else(|| {
        "PostgreSQL server binaries (initdb, pg_ctl) not found: install them with \
         `apt-get install -y postgresql` (scripts/test does this), or set TEST_DATABASE_URL"
            .to_string()
    })?;
    let dir = tempfile::Builder::new()
        .prefix("mudurluk-pg-")
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    if is_root() {
        run(
            {
                let mut c = Command::new("chown");
                c.args(["-R", "postgres:postgres"]).arg(&dir);
                c
            },
            "chown",
        )?;
    }
    let data = dir.join("data");
    let mut init = pg_command(&bin, "initdb");
    init.arg("-D").arg(&data).args([
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
    ]);
    run(init, "initdb")?;
    let port = free_port();
    let mut start = pg_command(&bin, "pg_ctl");
    start.arg("-D").arg(&data).arg("-l").arg(dir.join("log")).arg("-w").arg("-o").arg(format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        dir.display()
    ));
    start.arg("start");
    run(start, "pg_ctl start")?;
    // A watchdog stops the cluster and removes its folder when this test
    // process ends, however it ends.
    let stop = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {runuser}{pg_ctl} -D {data} -m immediate stop >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        runuser = if is_root() { "runuser -u postgres -- " } else { "" },
        pg_ctl = bin.join("pg_ctl").display(),
        data = data.display(),
        dir = dir.display(),
    );
    Command::new("sh")
        .args(["-c", &stop])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the cluster watchdog: {e}"))?;
    Ok(Cluster {
        admin_url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
    })
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();

/// The URL of a new, empty PostgreSQL database for one test. Uses
/// `TEST_DATABASE_URL`'s server when set; otherwise starts (once per test
/// process) a throwaway cluster. Panics with what to install when
/// PostgreSQL is missing: a PostgreSQL test never silently skips.
pub async fn fresh_pg_database() -> String {
    let admin_url = match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => match CLUSTER.get_or_init(start_cluster) {
            Ok(c) => c.admin_url.clone(),
            Err(e) => panic!("cannot start a throwaway PostgreSQL cluster: {e}"),
        },
    };
    let name = format!("t_{:016x}", rand::random::<u64>());
    let mut conn = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("cannot connect to the test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("CREATE DATABASE failed");
    conn.close().await.ok();
    let mut url = url_without_db(&admin_url);
    url.push('/');
    url.push_str(&name);
    url
}

/// `postgres://user@host:port/db?opts` → `postgres://user@host:port`
/// (the test database needs no connection parameters).
fn url_without_db(url: &str) -> String {
    let base = url.split_once('?').map_or(url, |(b, _)| b);
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    match base[scheme_end..].find('/') {
        Some(i) => base[..scheme_end + i].to_string(),
        None => base.to_string(),
    }
}

/// A running ChromeDriver for headless Chromium; killed on drop.
pub struct ChromeDriver {
    child: Child,
    pub url: String,
    pub profile: tempfile::TempDir,
}

impl ChromeDriver {
    /// Starts `/usr/bin/chromedriver` (or `chromedriver` on PATH). Panics
    /// with what to install when it is missing.
    pub fn start() -> ChromeDriver {
        let exe = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .unwrap_or_else(|| PathBuf::from("chromedriver"));
        let port = free_port();
        let child = Command::new(&exe)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start chromedriver ({e}): install `apt-get install -y chromium chromium-driver` (scripts/test does this)")
            });
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start listening within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profile: tempfile::tempdir().expect("temp dir for the Chromium profile"),
        }
    }

    /// The W3C capabilities for headless Chromium on this machine.
    pub fn chrome_args(&self) -> Vec<String> {
        let mut a: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--window-size=1280,900",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.push(format!("--user-data-dir={}", self.profile.path().display()));
        a
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running S3-compatible server (moto's `moto_server`) on loopback with
/// one empty bucket; killed on drop.
pub struct S3Server {
    child: Child,
    pub endpoint: String,
    pub bucket: String,
}

impl S3Server {
    /// Starts the server named by `MUDURLUK_TEST_S3_SERVER` (scripts/test
    /// installs it) and creates a bucket. Panics with what to do when it is
    /// missing: the S3 tests never skip silently.
    pub fn start() -> S3Server {
        let exe = std::env::var("MUDURLUK_TEST_S3_SERVER")
            .ok()
            .filter(|p| Path::new(p).exists())
            .or_else(|| {
                let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-tools/bin/moto_server");
                p.exists().then(|| p.display().to_string())
            })
            .unwrap_or_else(|| {
                panic!("no S3-compatible test server: run scripts/test, which installs moto[server] into target/test-tools")
            });
        let port = free_port();
        let child = Command::new(exe)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start moto_server");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the S3 test server did not start within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let endpoint = format!("http://127.0.0.1:{port}");
        let bucket = format!("mudurluk-{:08x}", rand::random::<u32>());
        let out = Command::new("curl")
            .args(["-sf", "-X", "PUT", &format!("{endpoint}/{bucket}")])
            .output()
            .expect("curl is needed to create the test bucket");
        assert!(
            out.status.success(),
            "cannot create the test bucket: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        S3Server {
            child,
            endpoint,
            bucket,
        }
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running OpenLDAP `slapd` on loopback (Debian's `slapd` package),
/// loaded with the given LDIF under the suffix [`Slapd::SUFFIX`]; killed
/// on drop.
pub struct Slapd {
    child: Child,
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Slapd {
    pub const SUFFIX: &'static str = "dc=ornek,dc=bel,dc=tr";

    /// Loads `ldif` with `slapadd` into a fresh database and starts
    /// `slapd` on a free port. Panics with what to install when slapd is
    /// missing: the LDAP tests never skip.
    pub fn start(ldif: &str) -> Slapd {
        let slapd = ["/usr/sbin/slapd", "/usr/local/sbin/slapd"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists());
        let slapadd = ["/usr/sbin/slapadd", "/usr/local/sbin/slapadd"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists());
        let (Some(slapd), Some(slapadd)) = (slapd, slapadd) else {
            panic!("slapd not found: install `apt-get install -y slapd ldap-utils` (scripts/test does this)");
        };
        let dir = tempfile::tempdir().expect("temp dir for slapd");
        let db = dir.path().join("db");
        std::fs::create_dir(&db).unwrap();
        let conf = dir.path().join("slapd.conf");
        let modules = [
            "/usr/lib/ldap",
            "/usr/lib/x86_64-linux-gnu/ldap",
            "/usr/lib/aarch64-linux-gnu/ldap",
        ]
        .into_iter()
        .find(|p| {
            Path::new(p).join("back_mdb.so").exists() || Path::new(p).join("back_mdb.la").exists()
        });
        let module_lines = modules
            .map(|m| format!("modulepath {m}\nmoduleload back_mdb\n"))
            .unwrap_or_default();
        std::fs::write(
            &conf,
            format!(
                "include /etc/ldap/schema/core.schema\n\
                 include /etc/ldap/schema/cosine.schema\n\
                 include /etc/ldap/schema/inetorgperson.schema\n\
                 pidfile {dir}/slapd.pid\n\
                 {module_lines}\
                 database mdb\n\
                 maxsize 10485760\n\
                 suffix \"{suffix}\"\n\
                 rootdn \"cn=admin,{suffix}\"\n\
                 rootpw yonetici-parolasi\n\
                 directory {db}\n\
                 access to attrs=userPassword by anonymous auth by self write by * none\n\
                 access to * by users read by * none\n",
                dir = dir.path().display(),
                suffix = Self::SUFFIX,
                db = db.display(),
            ),
        )
        .unwrap();
        let ldif_path = dir.path().join("data.ldif");
        std::fs::write(&ldif_path, ldif).unwrap();
        let out = Command::new(&slapadd)
            .arg("-f")
            .arg(&conf)
            .arg("-l")
            .arg(&ldif_path)
            .output()
            .expect("cannot run slapadd");
        assert!(
            out.status.success(),
            "slapadd failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = free_port();
        let url = format!("ldap://127.0.0.1:{port}");
        // -d 0: stay in the foreground (so it dies with us), log nothing.
        let child = Command::new(&slapd)
            .arg("-f")
            .arg(&conf)
            .args(["-h", &format!("{url}/"), "-d", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start slapd");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "slapd did not start listening within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Slapd {
            child,
            url,
            _dir: dir,
        }
    }

    /// Stops the server (to test an unreachable directory).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A real SMTP server on loopback (aiosmtpd, from the test-tools venv
/// scripts/test fills) delivering into a Maildir; killed on drop.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    pub maildir: PathBuf,
    python: PathBuf,
    _dir: tempfile::TempDir,
}

/// One received message, decoded by Python's `email` package.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        let python = std::env::var("MUDURLUK_TEST_PYTHON")
            .ok()
            .map(PathBuf::from)
            .filter(|p| p.exists())
            .or_else(|| {
                let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-tools/bin/python");
                p.exists().then_some(p)
            })
            .unwrap_or_else(|| panic!("no test-tools Python with aiosmtpd: run scripts/test, which installs it into target/test-tools"));
        let dir = tempfile::tempdir().expect("temp dir for the Maildir");
        let maildir = dir.path().join("Maildir");
        let port = free_port();
        let child = Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start aiosmtpd");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start listening within 20 s (is it installed? run scripts/test)"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer {
            child,
            port,
            maildir,
            python,
            _dir: dir,
        }
    }

    /// The messages received so far.
    pub fn messages(&self) -> Vec<Mail> {
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return out;
        };
        for e in entries.flatten() {
            let script = "import email, email.header, sys\n\
                m = email.message_from_binary_file(open(sys.argv[1], 'rb'))\n\
                print(m['To'])\n\
                print(str(email.header.make_header(email.header.decode_header(m['Subject']))))\n\
                print(m.get_payload(decode=True).decode(m.get_content_charset() or 'utf-8'), end='')\n";
            let o = Command::new(&self.python)
                .args(["-c", script])
                .arg(e.path())
                .output()
                .expect("python decodes the message");
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let mut lines = text.splitn(3, '\n');
            out.push(Mail {
                to: lines.next().unwrap_or("").to_owned(),
                subject: lines.next().unwrap_or("").to_owned(),
                body: lines.next().unwrap_or("").to_owned(),
            });
        }
        out
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A real IMAP server on loopback (Debian's `dovecot-imapd`), plain IMAP
/// with one user and a Maildir the test writes messages into; killed on
/// drop.
pub struct Dovecot {
    child: Child,
    pub port: u16,
    pub user: String,
    pub password: String,
    /// The user's Maildir (`new/` is where a delivered message lands).
    pub maildir: PathBuf,
    dir: tempfile::TempDir,
    seq: std::sync::atomic::AtomicU32,
    /// The mailbox's owner when the tests run as root.
    owner: Option<(u32, u32)>,
}

impl Dovecot {
    /// Starts `dovecot -F` with a configuration of its own in a temp dir.
    /// Panics with what to install when it is missing: the mail tests never skip.
    pub fn start() -> Dovecot {
        let bin = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists());
        let Some(bin) = bin else {
            panic!("dovecot not found: install `apt-get install -y dovecot-imapd` (scripts/test does this)")
        };
        let dir = tempfile::tempdir().expect("temp dir for dovecot");
        let d = dir.path();
        for sub in [
            "run",
            "home/masa/Maildir/new",
            "home/masa/Maildir/cur",
            "home/masa/Maildir/tmp",
        ] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        let out = |args: &[&str]| {
            String::from_utf8_lossy(&Command::new("id").args(args).output().unwrap().stdout)
                .trim()
                .to_owned()
        };
        // As root, the mailbox belongs to the `dovecot` account (Dovecot
        // refuses mail for UID 0); otherwise to whoever runs the tests.
        let (uid, gid, me) = if is_root() {
            (
                out(&["-u", "dovecot"]),
                out(&["-g", "dovecot"]),
                "dovecot".to_owned(),
            )
        } else {
            (out(&["-u"]), out(&["-g"]), out(&["-un"]))
        };
        let (internal, login) = if is_root() {
            ("dovecot".to_owned(), "dovenull".to_owned())
        } else {
            (me.clone(), me)
        };
        let owner: Option<(u32, u32)> = if is_root() {
            Some((uid.parse().unwrap(), gid.parse().unwrap()))
        } else {
            None
        };
        if let Some((u, g)) = owner {
            for sub in [
                "home",
                "home/masa",
                "home/masa/Maildir",
                "home/masa/Maildir/new",
                "home/masa/Maildir/cur",
                "home/masa/Maildir/tmp",
            ] {
                std::os::unix::fs::chown(d.join(sub), Some(u), Some(g)).unwrap();
            }
        }
        if is_root() {
            // The login processes chroot into base_dir's login dir: it must be theirs to read.
            let _ = Command::new("chmod")
                .args(["755", &d.display().to_string()])
                .status();
        }
        let port = free_port();
        let password = "posta-kutusu-parolasi".to_owned();
        std::fs::write(
            d.join("passwd"),
            format!(
                "masa:{{PLAIN}}{password}:{uid}:{gid}::{}\n",
                d.join("home/masa").display()
            ),
        )
        .unwrap();
        std::fs::write(
            d.join("dovecot.conf"),
            format!(
                "base_dir = {base}/run\n\
                 log_path = {base}/dovecot.log\n\
                 protocols = imap\n\
                 listen = 127.0.0.1\n\
                 ssl = no\n\
                 disable_plaintext_auth = no\n\
                 auth_mechanisms = plain login\n\
                 default_internal_user = {internal}\n\
                 default_login_user = {login}\n\
                 first_valid_uid = 0\n\
                 mail_location = maildir:~/Maildir\n\
                 passdb {{\n  driver = passwd-file\n  args = {base}/passwd\n}}\n\
                 userdb {{\n  driver = passwd-file\n  args = {base}/passwd\n}}\n\
                 service imap-login {{\n  chroot =\n  inet_listener imap {{\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
                 service anvil {{\n  chroot =\n}}\n",
                base = d.display()
            ),
        )
        .unwrap();
        let child = Command::new(&bin)
            .arg("-F")
            .arg("-c")
            .arg(d.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start dovecot");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            let log = std::fs::read_to_string(d.join("dovecot.log")).unwrap_or_default();
            assert!(
                Instant::now() < deadline,
                "dovecot did not start listening within 20 s: {log}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let maildir = d.join("home/masa/Maildir");
        Dovecot {
            child,
            port,
            user: "masa".into(),
            password,
            maildir,
            dir,
            seq: Default::default(),
            owner,
        }
    }

    /// Delivers a raw RFC 5322 message into the mailbox (as the MTA would).
    pub fn deliver(&self, raw: &[u8]) {
        let n = self.seq.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!(
            "{}.M{n}P{}.mudurluk-test",
            1_700_000_000 + n,
            std::process::id()
        );
        let tmp = self.maildir.join("tmp").join(&name);
        std::fs::write(&tmp, raw).unwrap();
        if let Some((u, g)) = self.owner {
            std::os::unix::fs::chown(&tmp, Some(u), Some(g)).unwrap();
        }
        std::fs::rename(&tmp, self.maildir.join("new").join(&name)).unwrap();
    }

    /// Dovecot's own log (for a failing test's message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
