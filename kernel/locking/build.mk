# kernel/locking: sleeping locks — mutexes and semaphores (lab 5); their ktests.
obj-y += kernel/locking/mutex.o
obj-y += kernel/locking/semaphore.o
