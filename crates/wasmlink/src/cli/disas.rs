//! `wasmlink disas`: print the code generated for each Wasm function, as
//! optimised CLIF or as machine code, compiled exactly as `wasmlink build`
//! compiles it (see `wasmlink_codegen::disas`).

use crate::LinkArg;
use anyhow::{bail, Result};
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;
use wasmlink_codegen::{ListingFormat, ListingOptions};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DisasFormat {
    /// Cranelift IR after Cranelift's optimisations.
    Clif,
    /// x86-64 machine code after register allocation.
    Asm,
}

#[derive(clap::Args)]
pub struct DisasArgs {
    /// A manifest (`app.json`) or a module (`main.wasm` / `main.wat`); a
    /// module needs no `_start` here.
    input: PathBuf,
    /// What to print.
    #[arg(long, value_enum, default_value = "asm")]
    format: DisasFormat,
    /// Print only functions whose name (`source::function`) contains this text.
    #[arg(long, value_name = "NAME_SUBSTRING")]
    function: Option<String>,
    /// How cross-instance calls are linked.
    #[arg(long, value_enum, default_value = "static")]
    link: LinkArg,
    /// Whole-program optimisations of a static link: all, none, or a
    /// comma-separated list of inline, fixed-state, devirtualize, dead-code, stack-checks.
    #[arg(long, value_name = "LIST", value_parser = super::build::parse_wpo)]
    wpo: Option<wasmlink::Optimizations>,
}

pub fn run(args: &DisasArgs) -> Result<ExitCode> {
    let resolved = wasmlink_codegen::load_graph_for_listing(&args.input)?;
    let options = ListingOptions {
        format: match args.format {
            DisasFormat::Clif => ListingFormat::Clif,
            DisasFormat::Asm => ListingFormat::Asm,
        },
        link: args.link.mode(),
        wpo: super::build::optimizations(args.link.mode(), args.wpo)?,
        function: args.function.clone(),
    };
    let listings = wasmlink_codegen::list_functions(&resolved.graph, &options)?;
    if listings.is_empty() {
        match &args.function {
            Some(wanted) => bail!(
                "no function's name contains \"{wanted}\"; the functions are: {}",
                some_function_names(&resolved.graph)
            ),
            None => bail!("{} defines no functions", args.input.display()),
        }
    }
    print!("{}", wasmlink_codegen::render_listings(&listings));
    Ok(ExitCode::SUCCESS)
}

/// Up to 20 function names, for the message when a selection is empty.
fn some_function_names(graph: &wasmlink_graph::InstanceGraph) -> String {
    let names = wasmlink_codegen::disas::function_names(graph);
    let mut shown: Vec<&str> = names.iter().take(20).map(String::as_str).collect();
    if names.len() > shown.len() {
        shown.push("…");
    }
    shown.join(", ")
}
