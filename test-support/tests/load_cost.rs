//! What a function's routes cost the program loader at every cold start.
//!
//! A position-independent executable's loader patches every pointer held in a `static`
//! (a relative relocation) and so copies every page holding one. A build-time router keeps its
//! routes' handlers, the only part that points for every route, in one dense array
//! (`RouteParts`); this test reads the relocations of the 10-route and 1,000-route cold-start
//! functions from their ELF files and bounds what the 990 more routes add.

#![cfg(target_os = "linux")]

mod common;

use std::collections::BTreeSet;

/// The dynamic relocations of an ELF64 little-endian file: their target addresses.
fn relocation_targets(file: &[u8]) -> Vec<u64> {
    let u16_at = |at: usize| u16::from_le_bytes(file[at..at + 2].try_into().expect("2 bytes"));
    let u32_at = |at: usize| u32::from_le_bytes(file[at..at + 4].try_into().expect("4 bytes"));
    let u64_at = |at: usize| u64::from_le_bytes(file[at..at + 8].try_into().expect("8 bytes"));
    assert_eq!(&file[..4], b"\x7fELF", "an ELF file");
    assert_eq!((file[4], file[5]), (2, 1), "ELF64, little-endian");
    let section_headers = u64_at(0x28) as usize;
    let header_size = u16_at(0x3a) as usize;
    let sections = u16_at(0x3c) as usize;
    let mut targets = Vec::new();
    for index in 0..sections {
        let header = section_headers + index * header_size;
        const SHT_RELA: u32 = 4;
        if u32_at(header + 4) != SHT_RELA {
            continue;
        }
        let (offset, size, entry) =
            (u64_at(header + 0x18) as usize, u64_at(header + 0x20) as usize, u64_at(header + 0x38) as usize);
        assert_eq!(entry, 24, "an Elf64_Rela is 24 bytes");
        targets.extend((offset..offset + size).step_by(entry).map(u64_at));
    }
    targets
}

struct LoadCost {
    relocations: usize,
    pages: usize,
}

fn load_cost(example: &str) -> LoadCost {
    let file = std::fs::read(common::binary(example)).expect("read the example's binary");
    let targets = relocation_targets(&file);
    let pages: BTreeSet<u64> = targets.iter().map(|target| target / 4096).collect();
    LoadCost { relocations: targets.len(), pages: pages.len() }
}

#[test]
fn a_thousand_routes_cost_the_loader_a_few_pages() {
    let ten = load_cost("cold_start_10");
    let thousand = load_cost("cold_start_1000");
    let (relocations, pages) = (thousand.relocations - ten.relocations, thousand.pages - ten.pages);
    eprintln!(
        "10 routes: {} relocations on {} pages; 1,000 routes: {} on {}",
        ten.relocations, ten.pages, thousand.relocations, thousand.pages
    );
    // One pointer per route, its handler: the pattern is a range of the table's one string,
    // the options point only when set.
    assert!(relocations <= 1_000, "990 more routes add {relocations} relocations");
    // 990 handlers of 8 bytes (one pointer to the static of the handler's type): 2 pages, and
    // one where the array starts mid-page; and the 7,920 bytes shift every relocated static
    // after them, which can carry one of them across one more page boundary (aarch64 measured
    // 4, x86_64 3). Handlers of 24 bytes took 7; whole routes (96 bytes, two pointers each)
    // took 24.
    assert!(pages <= 4, "990 more routes add {pages} pages to patch at load");
}
