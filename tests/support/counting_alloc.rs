//! A global allocator that counts the bytes allocated and not yet freed, and the most at any
//! time, over the process and per thread. A test binary that uses it must hold a single test,
//! so that it sees only that test.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts the bytes allocated and not yet freed, and the most at any time.
pub struct Counting;

/// Bytes in use now.
pub static CURRENT: AtomicUsize = AtomicUsize::new(0);
/// The most bytes in use at any time.
pub static PEAK: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Bytes allocated on this thread minus bytes freed on it: what a thread keeps, when what
    /// it allocates it also frees (as a current-thread tokio runtime's tasks do).
    static THREAD: Cell<isize> = const { Cell::new(0) };
}

/// Bytes allocated and not freed on the calling thread so far.
#[allow(dead_code)] // Not every test binary that counts looks per thread.
pub fn thread_current() -> isize {
    THREAD.with(Cell::get)
}

/// Adds `bytes` to this thread's count (not during the thread's teardown).
fn count_on_thread(bytes: isize) {
    let _ = THREAD.try_with(|count| count.set(count.get() + bytes));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
            count_on_thread(layout.size() as isize);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        count_on_thread(-(layout.size() as isize));
    }
}
