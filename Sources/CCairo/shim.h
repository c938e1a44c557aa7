// Debian's Cairo headers live under cairo/ (the static archive is linked, see Package.swift).
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#include <cairo/cairo-svg.h>
