//! SIGTERM, SIGINT and SIGHUP while the browser runs: the loop is asked to
//! quit (as Ctrl-C would), so the terminal is restored and temporary files
//! removed on the normal way out. Should the loop not end within two
//! seconds, the terminal is restored and the process exits from here.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};

use super::app::Msg;

/// Folders to remove should the process have to exit from the signal
/// thread (the demo's temporary store).
static REMOVE_ON_EXIT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Registers a folder to remove on a forced exit.
pub fn remove_on_exit(dir: &Path) {
    if let Ok(mut v) = REMOVE_ON_EXIT.lock() {
        v.push(dir.to_path_buf());
    }
}

/// The signal watch of one browser run.
pub struct Watch {
    handle: Handle,
    got: Arc<AtomicI32>,
    done: Arc<AtomicBool>,
}

/// Starts watching; each signal sends a Ctrl-C key into the loop's queue.
pub fn watch(tx: Sender<Msg>) -> std::io::Result<Watch> {
    let mut signals = Signals::new([SIGTERM, SIGINT, SIGHUP])?;
    let handle = signals.handle();
    let got = Arc::new(AtomicI32::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let (g, d) = (got.clone(), done.clone());
    std::thread::spawn(move || {
        for sig in signals.forever() {
            if g.swap(sig, Ordering::SeqCst) != 0 {
                continue;
            }
            let quit = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
            let _ = tx.send(Msg::Key(quit));
            let d = d.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(2));
                if !d.load(Ordering::SeqCst) {
                    force_exit(sig);
                }
            });
        }
    });
    Ok(Watch { handle, got, done })
}

impl Watch {
    /// Stops watching; the signal that stopped the browser, if one did.
    pub fn finish(self) -> Option<i32> {
        self.done.store(true, Ordering::SeqCst);
        self.handle.close();
        match self.got.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n),
        }
    }
}

fn force_exit(sig: i32) -> ! {
    super::restore_terminal();
    if let Ok(v) = REMOVE_ON_EXIT.lock() {
        for d in v.iter() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
    std::process::exit(128 + sig)
}
