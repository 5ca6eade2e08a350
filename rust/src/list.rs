//! Intrusive doubly-linked lists of MicroPython objects.
//!
//! Nodes are addressed by their object's head pointer, never by an interior
//! pointer: MicroPython's conservative GC only treats pointers to the start of
//! a heap block as references, so a head stored in a link keeps the linked
//! object alive. A node can therefore never be freed while it is in a list,
//! and every list operation below only ever follows pointers to live objects.
//! Each object embeds one [`Link`] per list it can be in; an [`Adapter`] finds
//! the link inside an object from its head.

use core::ffi::c_void;
use core::ptr;

/// An object's membership in one list.
#[repr(C)]
#[derive(Debug)]
pub struct Link {
    /// [`UNLINKED`] when the object is in no list.
    prev: *mut c_void,
    next: *mut c_void,
}

/// `Link::prev` of an object in no list: not a heap address, so the GC ignores it.
const UNLINKED: *mut c_void = usize::MAX as *mut c_void;

impl Link {
    pub const fn new() -> Self {
        Link { prev: UNLINKED, next: ptr::null_mut() }
    }

    pub fn is_linked(&self) -> bool {
        self.prev != UNLINKED
    }
}

impl Default for Link {
    fn default() -> Self {
        Self::new()
    }
}

/// The two ends of a list.
#[repr(C)]
#[derive(Debug)]
pub struct List {
    first: *mut c_void,
    last: *mut c_void,
}

impl Default for List {
    fn default() -> Self {
        Self::new()
    }
}

/// Finds the [`Link`] a list uses inside an object.
///
/// # Safety
/// `link` must return a pointer to a `Link` inside the object `node` heads,
/// for every live object that is ever put in lists used with this adapter.
pub unsafe trait Adapter {
    fn link(&self, node: *mut c_void) -> *mut Link;
}

impl List {
    pub const fn new() -> Self {
        List { first: ptr::null_mut(), last: ptr::null_mut() }
    }

    pub fn first(&self) -> Option<*mut c_void> {
        (!self.first.is_null()).then_some(self.first)
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_null()
    }

    /// The node after `node`, which must be in this list.
    pub fn next(&self, adapter: &impl Adapter, node: *mut c_void) -> Option<*mut c_void> {
        // SAFETY: `node` is in the list, so it is live (module docs) and the adapter finds its link.
        let next = unsafe { (*adapter.link(node)).next };
        (!next.is_null()).then_some(next)
    }

    /// Links `node` (not in any list of this adapter) before `at`, or at the end when `at` is null.
    fn insert_before(&mut self, adapter: &impl Adapter, node: *mut c_void, at: *mut c_void) {
        let prev = if at.is_null() {
            self.last
        } else {
            // SAFETY: `at` is in this list, hence live.
            unsafe { (*adapter.link(at)).prev }
        };
        // SAFETY: `node` is a live object handed in by the caller; nothing else borrows its link.
        unsafe {
            let link = adapter.link(node);
            (*link).prev = prev;
            (*link).next = at;
        }
        // A first node's `prev` is null, which is "linked" (not UNLINKED).
        match prev.is_null() {
            true => self.first = node,
            // SAFETY: `prev` is in this list, hence live.
            false => unsafe { (*adapter.link(prev)).next = node },
        }
        match at.is_null() {
            true => self.last = node,
            // SAFETY: as above.
            false => unsafe { (*adapter.link(at)).prev = node },
        }
    }

    pub fn push_back(&mut self, adapter: &impl Adapter, node: *mut c_void) {
        self.insert_before(adapter, node, ptr::null_mut());
    }

    /// Links `node` after every node that is not greater than it, so the list
    /// stays sorted by `greater` and equal nodes keep their insertion order.
    /// Walks from the back: new nodes usually belong near the end.
    pub fn insert_sorted(&mut self, adapter: &impl Adapter, node: *mut c_void, greater: impl Fn(*mut c_void, *mut c_void) -> bool) {
        let mut at = ptr::null_mut();
        let mut before = self.last;
        while !before.is_null() && greater(before, node) {
            at = before;
            // SAFETY: `before` is in this list, hence live.
            before = unsafe { (*adapter.link(before)).prev };
        }
        self.insert_before(adapter, node, at);
    }

    /// Unlinks `node` if it is linked; it must not be in another list of this adapter.
    pub fn remove(&mut self, adapter: &impl Adapter, node: *mut c_void) {
        let link = adapter.link(node);
        // SAFETY: `node` is live (the caller holds it) and its link is not borrowed elsewhere.
        let (prev, next) = unsafe { ((*link).prev, (*link).next) };
        if prev == UNLINKED {
            return;
        }
        match prev.is_null() {
            true => self.first = next,
            // SAFETY: a linked node's neighbours are in the same list, hence live.
            false => unsafe { (*adapter.link(prev)).next = next },
        }
        match next.is_null() {
            true => self.last = prev,
            // SAFETY: as above.
            false => unsafe { (*adapter.link(next)).prev = prev },
        }
        // SAFETY: as for the first read.
        unsafe { *link = Link::new() };
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::boxed::Box;
    use std::vec::Vec;

    struct Node {
        link: Link,
        key: u32,
    }
    struct ByLink;
    // SAFETY: the tests only put `Node`s in lists.
    unsafe impl Adapter for ByLink {
        fn link(&self, node: *mut c_void) -> *mut Link {
            // SAFETY: every node is a Box<Node> leaked below.
            unsafe { &mut (*node.cast::<Node>()).link }
        }
    }
    fn node(key: u32) -> *mut c_void {
        Box::into_raw(Box::new(Node { link: Link::new(), key })).cast()
    }
    fn key(n: *mut c_void) -> u32 {
        // SAFETY: test nodes are live for the whole test.
        unsafe { (*n.cast::<Node>()).key }
    }
    fn keys(list: &List) -> Vec<u32> {
        let mut out = Vec::new();
        let mut at = list.first();
        while let Some(n) = at {
            out.push(key(n));
            at = list.next(&ByLink, n);
        }
        out
    }

    #[test]
    fn sorted_insert_is_stable_and_removal_relinks() {
        let mut list = List::new();
        let nodes: Vec<_> = [5, 1, 5, 3, 1, 9].iter().map(|&k| node(k)).collect();
        for &n in &nodes {
            list.insert_sorted(&ByLink, n, |a, b| key(a) > key(b));
        }
        assert_eq!(keys(&list), [1, 1, 3, 5, 5, 9]);
        assert_eq!(list.first(), Some(nodes[1]), "equal keys keep insertion order");
        list.remove(&ByLink, nodes[3]);
        list.remove(&ByLink, nodes[3]); // not linked any more: no effect
        assert_eq!(keys(&list), [1, 1, 5, 5, 9]);
        assert_eq!(list.first(), Some(nodes[1]));
        list.remove(&ByLink, nodes[1]);
        list.remove(&ByLink, nodes[5]);
        list.push_back(&ByLink, nodes[3]);
        assert_eq!(keys(&list), [1, 5, 5, 3]);
        while let Some(first) = list.first() {
            list.remove(&ByLink, first);
        }
        assert!(list.is_empty());
        for n in nodes {
            // SAFETY: allocated by `node` above and no longer linked.
            drop(unsafe { Box::from_raw(n.cast::<Node>()) });
        }
    }
}
