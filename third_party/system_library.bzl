"""Wraps an installed system library (found with pkg-config) as a cc_library.

Include directories outside /usr/include are symlinked into the repository so
Bazel's header checks see declared headers; libraries become linkopts.
"""

def _run(ctx, args):
    result = ctx.execute(args)
    if result.return_code != 0:
        fail("`%s` failed: %s\nInstall the build dependencies with deploy/setup.sh." %
             (" ".join(args), result.stderr))
    return result.stdout.strip()

def _system_library_impl(ctx):
    include_dirs = list(ctx.attr.include_dirs)
    linkopts = list(ctx.attr.linkopts)
    if ctx.attr.pkg_config:
        cflags = _run(ctx, ["pkg-config", "--cflags"] + ctx.attr.pkg_config).split(" ")
        libs = _run(ctx, ["pkg-config", "--libs"] + ctx.attr.pkg_config).split(" ")
        for flag in cflags:
            if flag.startswith("-I") and flag[2:] != "/usr/include":
                include_dirs.append(flag[2:])
        linkopts = [f for f in libs if f] + linkopts

    includes = []
    for i, path in enumerate(include_dirs):
        local = "include_%d" % i
        ctx.symlink(path, local)
        includes.append(local)

    ctx.file("BUILD.bazel", """
cc_library(
    name = "{name}",
    hdrs = glob([{globs}], allow_empty = True),
    includes = {includes},
    linkopts = {linkopts},
    visibility = ["//visibility:public"],
)
""".format(
        name = ctx.name,
        globs = ", ".join(['"%s/**"' % d for d in includes]),
        includes = repr(includes),
        linkopts = repr(linkopts),
    ))

system_library = repository_rule(
    implementation = _system_library_impl,
    attrs = {
        "pkg_config": attr.string_list(doc = "pkg-config modules to query."),
        "include_dirs": attr.string_list(doc = "Extra absolute include directories."),
        "linkopts": attr.string_list(doc = "Extra linker flags."),
    },
    local = True,
)
