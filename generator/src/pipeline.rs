//! IR → Rust files, the same way for both targets: emit plans the module tree (each module's
//! own items, and its leaves: types and operations), render formats all but the leaves, then
//! worker threads emit and format the leaves (most of the code) and render fills them in.

use std::time::{Duration, Instant};

use crate::emit::{self, EmitOptions, Leaf};
use crate::error::GenerateError;
use crate::ir::Api;
use crate::render::{self, LeafSlot, RustFile, Target};

/// The files, and the time spent emitting and formatting them.
pub struct Output {
    pub files: Vec<RustFile>,
    /// Planning plus emitting leaves.
    pub emit: Duration,
    /// Formatting the files' own items plus formatting leaves.
    pub format: Duration,
}

/// One worker's texts (each with its leaf's position) and time.
type Shard = Result<(Vec<(usize, String)>, Spent), GenerateError>;

/// Time spent in each phase by one worker thread.
#[derive(Default)]
struct Spent {
    emit: Duration,
    format: Duration,
}

/// Plans, emits and renders `api` as `target`; every file starts with `header`.
pub fn run(
    api: &Api,
    options: &EmitOptions,
    target: &Target,
    header: &str,
) -> Result<Output, GenerateError> {
    let started = Instant::now();
    let plan = emit::plan(api, options);
    let planned = started.elapsed();
    let started = Instant::now();
    let layout = render::layout(plan, target, header)?;
    let laid_out = started.elapsed();
    let started = Instant::now();
    let (texts, spent) = leaves(api, options, &layout.leaves)?;
    // Leaves run on several threads at once: the wall time is split between emit and format
    // in the proportion their threads spent, so the phases add up to the time taken.
    let wall = started.elapsed();
    let busy = (spent.emit + spent.format).as_secs_f64();
    let emit_share = if busy > 0.0 {
        spent.emit.as_secs_f64() / busy
    } else {
        0.0
    };
    let leaves_emit = wall.mul_f64(emit_share);
    Ok(Output {
        files: layout.fill(texts),
        emit: planned + leaves_emit,
        format: laid_out + (wall - leaves_emit),
    })
}

/// Emits and formats `leaves` on worker threads (token streams cannot cross threads, so each
/// thread builds its own from the shared IR); texts come back in the order of `leaves`.
/// Interleaved shards balance big and small.
fn leaves(
    api: &Api,
    options: &EmitOptions,
    leaves: &[LeafSlot],
) -> Result<(Vec<String>, Spent), GenerateError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(leaves.len().div_ceil(32))
        .max(1);
    let run_shard = |shard: usize| {
        emit::with_ctx(api, options, |ctx| {
            let mut spent = Spent::default();
            let mut texts = Vec::new();
            for (position, slot) in leaves.iter().enumerate().skip(shard).step_by(threads) {
                let started = Instant::now();
                let items = emit::emit_leaf(ctx, slot.leaf, options);
                let emitted = Instant::now();
                let text = render::format_leaf(&leaf_label(api, slot.leaf), items, slot.depth)?;
                spent.emit += emitted - started;
                spent.format += emitted.elapsed();
                texts.push((position, text));
            }
            Ok((texts, spent))
        })
    };
    let results: Vec<Shard> = if threads == 1 {
        vec![run_shard(0)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|shard| scope.spawn(move || run_shard(shard)))
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle.join().unwrap_or_else(|_| {
                        Err(GenerateError::Render {
                            item: "a type or operation".into(),
                            message: "the emitter panicked".into(),
                        })
                    })
                })
                .collect()
        })
    };
    let mut texts = vec![String::new(); leaves.len()];
    let mut spent = Spent::default();
    for result in results {
        let (shard, shard_spent) = result?;
        spent.emit += shard_spent.emit;
        spent.format += shard_spent.format;
        for (position, text) in shard {
            texts[position] = text;
        }
    }
    Ok((texts, spent))
}

/// What a leaf is called in a render error.
fn leaf_label(api: &Api, leaf: Leaf) -> String {
    match leaf {
        Leaf::Type(index) => format!("type `{}`", api.types[index].name.code()),
        Leaf::Operation(index) => format!("operation `{}`", api.operations[index].operation_id),
    }
}
