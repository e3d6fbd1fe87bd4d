/* report.h — rendering an evaluation: JSON for programs, text for people. */
#ifndef KADER_REPORT_H
#define KADER_REPORT_H

#include "eval.h"

#define KADER_REPORT_SCHEMA "https://kader.dev/schema/report/1"

/* One JSON object (pretty: indented over many lines; else one line), ending in a newline. */
void report_json(Buf *out, const Evaluation *ev, const char *source, bool pretty);
void report_text(Buf *out, const Evaluation *ev, const char *source, bool color);

#endif
