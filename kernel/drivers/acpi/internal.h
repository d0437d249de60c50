/*
 * internal.h — what the files of drivers/acpi/ share and nobody else needs.
 */
#ifndef DRIVERS_ACPI_INTERNAL_H
#define DRIVERS_ACPI_INTERNAL_H

#include <kestrel/acpi.h>

/* tables.c: map @len bytes of firmware memory at @pa for reading. */
const void *acpi_map(phys_addr_t pa, size_t len);

/* tables.c: map a whole table given its physical address, or NULL. */
const struct acpi_table_header *acpi_map_table(phys_addr_t pa);

/* sleep.c: read the FADT (PM1 control, reset register, century, DSDT)
 * and look for \_S5 in the DSDT. */
void acpi_sleep_init(const struct acpi_table_header *fadt);

/* madt.c: fill acpi_madt from the MADT; print a summary. */
void acpi_parse_madt(const struct acpi_table_header *madt);

#endif
