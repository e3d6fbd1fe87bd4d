/* yamlparse.c — the baseline for kader's batch throughput: reads each facts file of a benchmark
 * run and parses it with libyaml to the end of the stream, doing nothing with the events. kader
 * cannot load a YAML facts file faster than this, so `kader eval --batch` is compared with it.
 *
 * usage: yamlparse MANIFEST.tsv   (the facts files, as bench/gen-facts.js lists them)
 * Prints one JSON object: files, events, bytes, wall and CPU seconds. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yaml.h>

static double now_seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads and parses one file; returns the number of events, or -1 after a message. */
static long parse_file(const char *path, char **buf, size_t *cap, size_t *bytes)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t len = 0, n;
    for (;;) {
        if (len == *cap) {
            *cap = *cap ? *cap * 2 : 65536;
            *buf = realloc(*buf, *cap);
            if (!*buf) {
                fclose(f);
                fputs("yamlparse: out of memory\n", stderr);
                return -1;
            }
        }
        n = fread(*buf + len, 1, *cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        perror(path);
        return -1;
    }
    *bytes += len;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fputs("yamlparse: cannot initialise libyaml\n", stderr);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)*buf, len);
    long events = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s:%lu:%lu: %s\n", path, (unsigned long)parser.problem_mark.line + 1,
                    (unsigned long)parser.problem_mark.column + 1, parser.problem ? parser.problem : "YAML error");
            yaml_parser_delete(&parser);
            return -1;
        }
        events++;
        bool end = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        if (end)
            break;
    }
    yaml_parser_delete(&parser);
    return events;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: yamlparse MANIFEST.tsv\n", stderr);
        return 2;
    }
    const char *manifest = argv[1];
    FILE *m = fopen(manifest, "r");
    if (!m) {
        perror(manifest);
        return 2;
    }
    const char *slash = strrchr(manifest, '/');
    int dir_len = slash ? (int)(slash - manifest) + 1 : 0;
    char line[4096], path[4096 + 256];
    char *buf = NULL;
    size_t cap = 0, bytes = 0;
    long files = 0, events = 0;
    int status = 0;
    double w0 = now_seconds(CLOCK_MONOTONIC), c0 = now_seconds(CLOCK_PROCESS_CPUTIME_ID);
    while (fgets(line, sizeof line, m)) {
        line[strcspn(line, "\t\n")] = '\0';
        snprintf(path, sizeof path, "%.*s%s", dir_len, manifest, line);
        long n = parse_file(path, &buf, &cap, &bytes);
        if (n < 0) {
            status = 2;
            break;
        }
        events += n;
        files++;
    }
    double wall = now_seconds(CLOCK_MONOTONIC) - w0, cpu = now_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
    fclose(m);
    free(buf);
    if (status == 0)
        printf("{\"engine\":\"libyaml-parse\",\"files\":%ld,\"events\":%ld,\"bytes\":%zu,\"wall_seconds\":%.6f,"
               "\"cpu_seconds\":%.6f,\"per_second\":%.1f,\"per_cpu_second\":%.1f}\n",
               files, events, bytes, wall, cpu, wall > 0 ? files / wall : 0, cpu > 0 ? files / cpu : 0);
    return status;
}
