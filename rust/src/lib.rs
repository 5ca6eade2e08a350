//! The scheduling core of the pyRTOS MicroPython module.
//!
//! A pure state machine: no VM, no allocator, no I/O. The C shim in `c_glue/`
//! owns every Python object and embeds this crate's `#[repr(C)]` state structs
//! inside them ([`TaskCore`](task::TaskCore) in a `Task`, [`LockCore`](lock::LockCore) in any lock,
//! [`QueueCore`](queue::QueueCore) in a `MessageQueue`, [`Condition`](condition::Condition)
//! in a condition object).
//! MicroPython's heap never moves objects, so those structs stay put for as
//! long as the object lives, and the GC, which scans objects conservatively,
//! keeps alive whatever they point to.
//!
//! # Task states
//!
//! ```text
//!              add_task / resume()                 sched::pass picks it
//!   (new) ───────────────────────────► READY ─────────────────────────► RUNNING ◄──┐
//!                                       ▲ ◄───── pass: a better task ─────┘ │  │   │ resumed,
//!                                       │        is ready (ties stay, but   │  └───┘ yielded None
//!           pass: a condition is true   │        see round robin below)     │
//!           (sched::wake, Kernel::wake) │                                   │
//!                                    BLOCKED ◄──── resumed, yielded a list ─┘
//!   suspend() from any state ──► SUSPENDED ──resume()──► READY
//!   resumed and returned ──► removed from the task list (sched::pass)
//! ```
//!
//! Every transition above happens in [`sched::pass`] except `add_task`
//! ([`Kernel::admit`](kernel::Kernel::admit)), `suspend()` and `resume()`, which the shim maps to
//! [`Kernel::suspend`](kernel::Kernel::suspend) /
//! [`Kernel::set_ready`](kernel::Kernel::set_ready), and, outside the scheduler,
//! `run_next()` ([`Kernel::block`](kernel::Kernel::block) when it yields a list) and `task.state = ...`
//! ([`Kernel::set_state`](kernel::Kernel::set_state)); a blocked task taken out of the list by hand is
//! READY again (`sched::resync`).
//! Two more paths lead to the same transitions: RUNNING → RUNNING without a
//! full pass, when [`Kernel::rerun`](kernel::Kernel::rerun) finds that the pass could only resume the
//! running task again (the shim then resumes it and hands anything but a
//! `None` yield to [`sched::rerun_done`]); and with `round_robin_scheduler`,
//! ties go to the READY task that has waited longest (`Kernel::choose`).
//!
//! # Safety at the boundary
//!
//! The raw pointers this crate dereferences, each in a small `unsafe` block
//! whose `SAFETY:` comment says what keeps the target alive:
//! - the kernel, and the `TaskCore`, `LockCore` or `QueueCore` an FFI call
//!   names ([`ffi`], whose functions that take pointers are `unsafe extern
//!   "C"`; a pass holds the kernel through `sched::KernelCell`): the shim
//!   passes pointers into objects it holds for the call;
//! - task and condition objects linked in the kernel's lists and in the
//!   wait lists of tasks, locks and queues ([`list`], [`kernel`]): a link
//!   holds the object's head pointer, which the GC sees, so a linked object
//!   is live;
//! - what the shim stored at construction: a condition's subject, a task's
//!   notification array ([`condition`], [`task`]), kept alive by the object
//!   that holds the pointer;
//! - the slots of the interrupt event ring ([`isr`]) and the task list a
//!   yield shortcut reads (`ffi::pyrtos_kernel_rerun`), for the call only.
#![no_std]
// The docs are for the crate's maintainers (`cargo doc --document-private-items`):
// the public ones link the private items that do the work.
#![allow(rustdoc::private_intra_doc_links)]

// Only `ffi` is the interface: the other modules' safe methods take the raw
// pointers the shim hands over, which only `ffi`'s `unsafe` functions vouch for.
mod condition;
pub mod ffi;
mod isr;
mod kernel;
mod list;
mod lock;
mod queue;
mod sched;
#[cfg(feature = "stats")]
mod stats;
mod task;
#[cfg(test)]
mod model_tests;

/// Errors the core reports to the shim, which turns each into a Python exception.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoreError {
    /// Not an error: the operation succeeded.
    None = 0,
    /// A notification index is past the task's notification count.
    NotificationIndex,
    /// The task was created without notifications.
    NoNotifications,
    /// The task was created without a mailbox.
    NoMailbox,
    /// A notification state does not fit in a signed 8-bit integer.
    StateRange,
    /// A notification value does not fit in a signed 32-bit integer.
    ValueRange,
    /// `CountingSemaphore` arguments out of range (`0 <= initial <= maximum`, `1 <= maximum < 2**32`).
    CountRange,
    /// `CountingSemaphore.unlock()` with the count at its maximum.
    CountFull,
    /// `RecursiveMutex.unlock()` of a free lock.
    NotLocked,
    /// `RecursiveMutex.unlock()` from code other than the owner task's.
    NotOwner,
    /// `notify_from_isr`'s mode is neither `ISR_SET` nor `ISR_INC`.
    IsrMode,
}

#[cfg(not(test))]
#[panic_handler]
fn on_panic(_info: &core::panic::PanicInfo) -> ! {
    // The core is written so that no input can panic it; if it ever does, the
    // shim decides how the firmware stops (exit on unix, reset or halt on a board).
    extern "C" {
        fn pyrtos_core_panicked() -> !;
    }
    // SAFETY: the shim defines this function and it never returns.
    unsafe { pyrtos_core_panicked() }
}

/// The precompiled `core`/`compiler_builtins` for hosted targets carry unwind
/// tables that name this symbol. With `panic = "abort"` nothing ever unwinds
/// through Rust code, so it is never called; defining it lets the static
/// library link into the unix firmware without rebuilding `core`.
#[cfg(not(test))]
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}
