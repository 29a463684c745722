#![warn(clippy::too_many_lines)]
use clap::Parser;
use server::cli::{self, AgencyCommand, AuditCommand, Cli, Command, UserCommand};
use server::config::ServeArgs;
use std::net::SocketAddr;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// mimalloc rather than glibc's malloc: with a thread per SQLite connection, glibc's arenas either
/// contended (capped at two, a quarter of the server's CPU went to malloc locks under load) or each kept
/// its freed memory (uncapped, every sign-in thread kept a 19 MiB argon2 block). mimalloc's per-thread
/// heaps do neither.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (the Rust bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Freed memory goes back to the system at once rather than after 10-100 ms: each sign-in frees a
    // 19 MiB argon2 block, and under a burst of sign-ins and page loads the delay let the peak resident
    // size reach 140-159 MB (111-124 MB without it). The price is page throughput: 10-20 % in our runs.
    // MIMALLOC_PURGE_DELAY (milliseconds), read by mimalloc itself, overrides this.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one allocator option; no other thread exists yet.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime").block_on(start())
}

async fn start() -> ExitCode {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    if std::env::var("LOG_FORMAT").as_deref() == Ok("json") {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    }
    let args = Cli::parse();
    match run(args).await {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Cli) -> Result<i32, cli::Error> {
    // These read an archive only, or the live database as it is: it is neither created nor migrated.
    match &args.command {
        Some(Command::Backup { file, verify: true, .. }) => return cli::backup_verify(file).map(|_| 0),
        Some(Command::Backup { file, attachment_dir, .. }) => {
            let key_file = args.db.signing_key_file();
            return cli::backup(&args.db.database_url, args.db.tuning(), file, &key_file, attachment_dir).await.map(|_| 0);
        }
        Some(Command::Restore { archive, to, public_key }) => return cli::restore(archive, to, public_key.as_deref()).await.map(|_| 0),
        _ => {}
    }
    let db = cli::open_db(&args.db.database_url, args.db.tuning()).await?;
    let key_file = args.db.signing_key_file();
    // The sealing key for second-factor secrets lives beside the database unless configured.
    let with_secrets = |mut serve: ServeArgs| {
        if serve.secrets_key_file.is_none() {
            serve.secrets_key_file = Some(app::backend::platform::identity::default_sealing_key_path(&args.db.database_url));
        }
        serve
    };
    match args.command {
        None => serve(db, with_secrets(ServeArgs::default()), &key_file).await.map(|_| 0),
        Some(Command::Serve(serve_args)) => serve(db, with_secrets(serve_args), &key_file).await.map(|_| 0),
        Some(Command::User(UserCommand::Add { username, display_name, role, agency, password_stdin })) => {
            signed(&db, &key_file, cli::user_add(&db, username, display_name, role, agency, password_stdin).await).await
        }
        Some(Command::User(UserCommand::ResetPassword { username })) => {
            signed(&db, &key_file, cli::reset_password(&db, &username).await).await
        }
        Some(Command::Agency(AgencyCommand::Add { code, name, country })) => {
            signed(&db, &key_file, cli::agency_add(&db, &code, &name, &country).await).await
        }
        Some(Command::Audit(AuditCommand::Verify { checkpoint, public_key, max_unsigned_age })) => {
            cli::audit_verify(&db, &key_file, cli::VerifyArgs { checkpoint, public_key, max_unsigned_age }).await
        }
        Some(Command::Audit(AuditCommand::PublicKey)) => cli::audit_public_key(&key_file).map(|_| 0),
        Some(Command::Audit(AuditCommand::Checkpoint { out })) => cli::audit_checkpoint(&db, &key_file, &out).await.map(|_| 0),
        Some(Command::Backup { .. } | Command::Restore { .. }) => Ok(0),
        Some(Command::Seed { cases, requests, audit_events, officers_per_agency, seed }) => {
            let size = app::backend::data::seed::SeedSize { cases, requests, audit_events, officers_per_agency, seed };
            signed(&db, &key_file, cli::seed(&db, size).await).await
        }
        Some(Command::DemoData { credentials_file }) => {
            signed(&db, &key_file, cli::demo_data(&db, &credentials_file).await.map(drop)).await
        }
    }
}

/// After a command that wrote to the audit trail: signs what it wrote (the server would otherwise find it
/// unsigned at its next start and record that as writes behind its back).
async fn signed(db: &app::backend::platform::db::Db, key_file: &std::path::Path, done: Result<(), cli::Error>) -> Result<i32, cli::Error> {
    done?;
    app::backend::platform::checkpoints::sign_after_command(db, key_file).await.map_err(cli::explain)?;
    Ok(0)
}

async fn serve(db: app::backend::platform::db::Db, args: ServeArgs, key_file: &std::path::Path) -> Result<(), cli::Error> {
    use app::backend::platform::{checkpoints, identity::InstanceKey};
    let conf = leptos::config::get_configuration(None).map_err(|e| cli::Error(format!("Leptos configuration: {e}")))?;
    let options = conf.leptos_options;
    let addr = options.site_addr;
    // Refused before anything is written.
    if !addr.ip().is_loopback() && !args.secure_cookies && !args.insecure_http {
        return Err(cli::Error(format!(
            "refusing to serve plain HTTP on {addr}: sign-in cookies would cross the network unencrypted. Put a TLS proxy in front and set \
             LD_SECURE_COOKIES=true, or pass --insecure-http (LD_INSECURE_HTTP=true) if you mean it"
        )));
    }
    // Before serving: without its key the server cannot vouch for its audit trail.
    let key = InstanceKey::load_or_create(key_file).map_err(|e| cli::Error(e.to_string()))?;
    if args.demo_data {
        cli::demo_data(&db, std::path::Path::new(&args.demo_credentials_file)).await?;
    }
    checkpoints::sign_at_start(&db, &key).await.map_err(|e| cli::Error(format!("signing the audit trail at start: {e}")))?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (app, hub, sessions, dashboards) = server::router::build_parts(options, db.clone(), &args, stopped.clone()).await?;
    // The signer stops on its own signal, given only once every request has finished: stopping it with the
    // event streams signed the tail while requests under way were still writing (found by the SIGTERM test).
    let (stop_signing, signing_stopped) = tokio::sync::watch::channel(false);
    let signer = checkpoints::spawn_signer(db.clone(), key, checkpoints::Cadence::default(), signing_stopped);
    server::events::spawn_reminders(db.clone(), hub);
    // E-mail alerts, when an SMTP server is configured; the outbox fills either way.
    if let Some(url) = &args.smtp_url {
        let public_url = args.public_url.clone().unwrap_or_else(|| format!("http://localhost:{}", addr.port()));
        let mailer = server::mail::Mailer::new(url, &args.smtp_from, &public_url).map_err(cli::Error)?;
        server::mail::spawn(db.clone(), mailer);
    } else {
        server::mail::spawn_sweeper(db.clone());
    }
    dashboards.warm_up(db.pool.clone());
    sessions.spawn_cleanup(std::time::Duration::from_secs(3600));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Liaison Desk listening on http://{addr}");
    println!("Liaison Desk is running on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Ends the live event streams, so in-flight requests can finish and the server can stop.
            let _ = stop.send(true);
        })
        .await?;
    // Every request has finished: the last checkpoint covers everything they wrote.
    let _ = stop_signing.send(true);
    let _ = signer.await;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// SIGTERM or Ctrl-C: stop accepting, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
