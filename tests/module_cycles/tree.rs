//! The module tree of a crate and the paths its modules write, read with `syn`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::{self, Visit};

/// Source files by their path from the workspace root.
pub(crate) type Files = BTreeMap<PathBuf, String>;

#[derive(Default)]
struct Module {
    name: String,
    parent: Option<usize>,
    root: usize,
    children: BTreeMap<String, usize>,
    /// Names a `use` binds here, to the path it names (relative to this module).
    imports: BTreeMap<String, Vec<String>>,
}

/// A path written in module `from`, at `file:line`.
struct Reference {
    from: usize,
    segments: Vec<String>,
    place: String,
}

/// The crates read so far: their modules and the paths written in them.
#[derive(Default)]
pub(crate) struct Tree {
    modules: Vec<Module>,
    references: Vec<Reference>,
    /// Each crate root's file, for messages.
    roots: BTreeMap<usize, PathBuf>,
    /// Files that are missing or do not parse.
    pub(crate) errors: Vec<String>,
    /// The files read as modules.
    pub(crate) read: BTreeSet<PathBuf>,
}

impl Tree {
    /// Reads the crate whose root file is `root`.
    pub(crate) fn load(&mut self, files: &Files, root: &Path) {
        let index = self.modules.len();
        self.modules.push(Module {
            name: "crate".to_owned(),
            root: index,
            ..Module::default()
        });
        self.roots.insert(index, root.to_owned());
        self.load_file(files, index, root, true);
    }

    /// Parses `file` as the contents of module `module`; `mod_rs` when its children are files
    /// beside it (`lib.rs`, `main.rs`, `mod.rs`, a `#[path]` file).
    fn load_file(&mut self, files: &Files, module: usize, file: &Path, mod_rs: bool) {
        let Some(text) = files.get(file) else {
            self.errors.push(format!("{} is not there", file.display()));
            return;
        };
        self.read.insert(file.to_owned());
        let parsed = match syn::parse_file(text) {
            Ok(parsed) => parsed,
            Err(error) => {
                self.errors.push(format!("{}: {error}", file.display()));
                return;
            }
        };
        let beside = file.parent().unwrap_or(Path::new("")).to_owned();
        let children_dir = if mod_rs {
            beside.clone()
        } else {
            beside.join(file.file_stem().unwrap_or_default())
        };
        let context = Context {
            file: file.to_owned(),
            beside,
            children_dir,
            inline: false,
        };
        self.load_items(files, module, &parsed.items, &context);
    }

    fn load_items(&mut self, files: &Files, module: usize, items: &[syn::Item], at: &Context) {
        let mut collector = Collector {
            tree: self,
            module,
            file: &at.file,
        };
        for item in items {
            collector.visit_item(item);
        }
        for item in items {
            let syn::Item::Mod(declared) = item else {
                continue;
            };
            let name = declared.ident.to_string();
            let child = self.modules.len();
            self.modules.push(Module {
                name: name.clone(),
                parent: Some(module),
                root: self.modules[module].root,
                ..Module::default()
            });
            self.modules[module].children.insert(name.clone(), child);
            let path_attribute = declared.attrs.iter().find_map(|attribute| {
                let syn::Meta::NameValue(value) = &attribute.meta else {
                    return None;
                };
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &value.value
                else {
                    return None;
                };
                value.path.is_ident("path").then(|| text.value())
            });
            match (&declared.content, path_attribute) {
                (Some((_, inner)), _) => {
                    let nested = Context {
                        file: at.file.clone(),
                        beside: at.children_dir.join(&name),
                        children_dir: at.children_dir.join(&name),
                        inline: true,
                    };
                    self.load_items(files, child, inner, &nested);
                }
                (None, Some(path)) => {
                    let base = if at.inline {
                        &at.children_dir
                    } else {
                        &at.beside
                    };
                    self.load_file(files, child, &normalise(&base.join(path)), true);
                }
                (None, None) => {
                    let flat = at.children_dir.join(format!("{name}.rs"));
                    let nested = at.children_dir.join(&name).join("mod.rs");
                    if files.contains_key(&nested) && !files.contains_key(&flat) {
                        self.load_file(files, child, &nested, true);
                    } else {
                        self.load_file(files, child, &flat, false);
                    }
                }
            }
        }
    }

    /// `crate::a::b` for messages.
    fn shown(&self, module: usize) -> String {
        let mut names = Vec::new();
        let mut at = Some(module);
        while let Some(index) = at {
            names.push(self.modules[index].name.as_str());
            at = self.modules[index].parent;
        }
        names.reverse();
        names.join("::")
    }

    /// The deepest module of this crate that `segments`, written in `from`, reaches.
    fn resolve(&self, from: usize, segments: &[String], depth: u8) -> Option<usize> {
        let (first, mut rest) = segments.split_first()?;
        if depth > 8 {
            return None;
        }
        let here = &self.modules[from];
        let mut at = match first.as_str() {
            "crate" => here.root,
            "self" => from,
            "super" => here.parent?,
            name => match (here.children.get(name), here.imports.get(name)) {
                (Some(child), _) => *child,
                (None, Some(target)) => {
                    let full: Vec<String> = target.iter().chain(rest).cloned().collect();
                    return self.resolve(from, &full, depth + 1);
                }
                (None, None) => return None,
            },
        };
        while let Some((segment, tail)) = rest.split_first() {
            let module = &self.modules[at];
            match segment.as_str() {
                "super" => at = module.parent?,
                "self" => {}
                name => match (module.children.get(name), module.imports.get(name)) {
                    (Some(child), _) => at = *child,
                    (None, Some(target)) => {
                        let full: Vec<String> = target.iter().chain(tail).cloned().collect();
                        return self.resolve(at, &full, depth + 1).or(Some(at));
                    }
                    (None, None) => break,
                },
            }
            rest = tail;
        }
        Some(at)
    }

    fn ancestors(&self, module: usize) -> Vec<usize> {
        let mut chain = vec![module];
        while let Some(parent) = self.modules[*chain.last().expect("not empty")].parent {
            chain.push(parent);
        }
        chain.reverse();
        chain
    }

    /// Every cycle among the children of one module, as text.
    pub(crate) fn cycles(&self) -> Vec<String> {
        // parent -> child A -> child B -> where A first uses B
        let mut edges: BTreeMap<usize, Graph<'_>> = BTreeMap::new();
        for reference in &self.references {
            let Some(target) = self.resolve(reference.from, &reference.segments, 0) else {
                continue;
            };
            let (from, to) = (self.ancestors(reference.from), self.ancestors(target));
            let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if let (Some(a), Some(b)) = (from.get(shared), to.get(shared)) {
                let uses = edges.entry(from[shared - 1]).or_default();
                let place = uses.entry(*a).or_default().entry(*b);
                place.or_insert(reference.place.as_str());
            }
        }
        let mut found = Vec::new();
        for (parent, graph) in &edges {
            let mut seen = BTreeSet::new();
            for start in graph.keys() {
                let component: Vec<usize> = reachable(graph, *start)
                    .into_iter()
                    .filter(|other| reachable(graph, *other).contains(start))
                    .collect();
                if component.len() < 2 || !seen.insert(component.clone()) {
                    continue;
                }
                let names: Vec<String> = component.iter().map(|m| self.shown(*m)).collect();
                let mut text = format!(
                    "{}: the children of `{}` use each other in a cycle ({}):",
                    self.roots[&self.modules[*parent].root].display(),
                    self.shown(*parent),
                    names.join(", ")
                );
                for pair in shortest_cycle(graph, &component).windows(2) {
                    let (a, b) = (self.shown(pair[0]), self.shown(pair[1]));
                    let _ = write!(
                        text,
                        "\n  `{a}` uses `{b}` at {}",
                        graph[&pair[0]][&pair[1]]
                    );
                }
                found.push(text);
            }
        }
        found
    }
}

/// Child A -> child B -> the first place A uses B.
type Graph<'a> = BTreeMap<usize, BTreeMap<usize, &'a str>>;

/// `start` and every node a path from it reaches.
fn reachable(graph: &Graph<'_>, start: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::from([start]);
    let mut stack = vec![start];
    while let Some(node) = stack.pop() {
        for next in graph.get(&node).into_iter().flat_map(BTreeMap::keys) {
            if seen.insert(*next) {
                stack.push(*next);
            }
        }
    }
    seen
}

/// The shortest cycle through the first member of `component`, which closes it again.
fn shortest_cycle(graph: &Graph<'_>, component: &[usize]) -> Vec<usize> {
    let start = component[0];
    let mut came_from: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for next in graph[&node].keys().filter(|next| component.contains(next)) {
            if *next == start {
                let mut cycle = vec![node];
                while let Some(previous) = came_from.get(cycle.last().expect("not empty")) {
                    cycle.push(*previous);
                }
                cycle.reverse();
                cycle.push(start);
                return cycle;
            }
            if came_from.contains_key(next) {
                continue;
            }
            came_from.insert(*next, node);
            queue.push_back(*next);
        }
    }
    unreachable!("a strongly connected component has a cycle through each member")
}

struct Context {
    file: PathBuf,
    /// Where `#[path]` is relative to, outside inline modules.
    beside: PathBuf,
    /// Where `mod name;` looks for `name.rs` and `name/mod.rs`.
    children_dir: PathBuf,
    inline: bool,
}

/// Records the paths and `use` bindings of one module's own items.
struct Collector<'a> {
    tree: &'a mut Tree,
    module: usize,
    file: &'a Path,
}

impl Collector<'_> {
    fn record(&mut self, segments: Vec<String>, span: proc_macro2::Span) {
        self.tree.references.push(Reference {
            from: self.module,
            segments,
            place: format!("{}:{}", self.file.display(), span.start().line),
        });
    }

    fn use_tree(&mut self, prefix: &[String], tree: &syn::UseTree) {
        let joined = |name: &syn::Ident| {
            let mut path = prefix.to_vec();
            path.push(name.to_string());
            path
        };
        match tree {
            syn::UseTree::Path(path) => self.use_tree(&joined(&path.ident), &path.tree),
            syn::UseTree::Name(name) if name.ident == "self" => {
                if let Some(last) = prefix.last() {
                    self.bind(last.clone(), prefix.to_vec(), name.ident.span());
                }
            }
            syn::UseTree::Name(name) => {
                self.bind(
                    name.ident.to_string(),
                    joined(&name.ident),
                    name.ident.span(),
                );
            }
            syn::UseTree::Rename(rename) => {
                let bound = rename.rename.to_string();
                self.bind(bound, joined(&rename.ident), rename.ident.span());
            }
            syn::UseTree::Glob(glob) => self.record(prefix.to_vec(), glob.span()),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }

    fn bind(&mut self, name: String, path: Vec<String>, span: proc_macro2::Span) {
        self.record(path.clone(), span);
        let imports = &mut self.tree.modules[self.module].imports;
        imports.entry(name).or_insert(path);
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_mod(&mut self, _: &'ast syn::ItemMod) {
        // A module of its own, read by `Tree::load_items`.
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if item.leading_colon.is_none() {
            self.use_tree(&[], &item.tree);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
            self.record(segments, path.span());
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Macro arguments are tokens to `syn`; most are expressions (`format!`, `assert_eq!`).
        let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(arguments) = mac.parse_body_with(parser) {
            for argument in &arguments {
                self.visit_expr(argument);
            }
        }
        visit::visit_macro(self, mac);
    }
}

/// `a/./b/../c` as `a/c`, so files are found under the names they were read with.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
