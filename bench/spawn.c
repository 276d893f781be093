/* bench/spawn.c: run one command and report its exit code, wall time and peak RSS.
 *
 *   spawn TIMEOUT_SECONDS REPORT_FILE COMMAND [ARG...]
 *
 * Writes "EXIT WALL_NS MAXRSS_KIB TIMED_OUT" to REPORT_FILE. stdin, stdout and
 * stderr are inherited. The command is killed (SIGKILL) after TIMEOUT_SECONDS.
 *
 * Why a C launcher: ru_maxrss of a child includes the memory of the process
 * that forked it, up to its exec. Spawned straight from Python, even /bin/true
 * "peaks" at the interpreter's ~25 MiB; spawned from this ~1 MiB launcher the
 * figure is the command's own. bench/run compiles it into its temp dir. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile sig_atomic_t timed_out = 0;
static volatile pid_t child = 0;

static void on_alarm(int sig) {
    (void)sig;
    timed_out = 1;
    if (child > 0) {
        kill(child, SIGKILL);
    }
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: spawn TIMEOUT_SECONDS REPORT_FILE COMMAND [ARG...]\n");
        return 2;
    }
    const double timeout = strtod(argv[1], NULL);
    const char *report = argv[2];
    char **cmd = argv + 3;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid;
    const int err = posix_spawnp(&pid, cmd[0], NULL, NULL, cmd, environ);
    if (err != 0) {
        fprintf(stderr, "spawn: %s: %s\n", cmd[0], strerror(err));
        return 127;
    }
    child = pid;
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = (time_t)timeout;
    it.it_value.tv_usec = (suseconds_t)((timeout - (double)(time_t)timeout) * 1e6);
    setitimer(ITIMER_REAL, &it, NULL);

    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("spawn: wait4");
            return 127;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const long long wall_ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

    FILE *f = fopen(report, "w");
    if (f == NULL) {
        perror("spawn: report");
        return 127;
    }
    /* CPU time (user + system) of the child: on a loaded machine the wall
       time is mostly waiting for a core, this is what the command cost. */
    const long long cpu_ns = ((long long)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
                             ((long long)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
    fprintf(f, "%d %lld %ld %d %lld\n", code, wall_ns, ru.ru_maxrss, (int)timed_out, cpu_ns);
    return fclose(f) == 0 ? 0 : 127;
}
