# kernel/sched: runqueues and the fair policy, switching and waking, the
# idle tasks, wait queues, completions, timed sleeps (lab 5); their ktests.
obj-y += kernel/sched/core.o
obj-y += kernel/sched/fair.o
obj-y += kernel/sched/idle.o
obj-y += kernel/sched/wait.o
obj-y += kernel/sched/sched_ktest.o
obj-y += kernel/sched/kthread_ktest.o
obj-y += kernel/sched/wait_ktest.o
obj-y += kernel/sched/mutex_ktest.o
obj-y += kernel/sched/sched_bench_ktest.o
