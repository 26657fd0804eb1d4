/* What the project endpoints share with the participation list: the
 * columns of a project and its JSON shape. */
#ifndef DEVPLAT_API_DEVELOPER_PROJECT_H
#define DEVPLAT_API_DEVELOPER_PROJECT_H

#include "devplat_private.h"

/* A project as every listing selects it (alias p), 11 columns. */
#define DEVPLAT_PROJECT_COLUMNS \
    "p.id, p.name, p.status, p.purchase_budget, p.introduction, p.domain, " \
    "p.research_direction, p.level, p.created_at, p.updated_at, p.delivery_at"
#define DEVPLAT_PROJECT_NCOLS 11

/* {id, name, status, purchase_budget, introduction, domain,
 * research_direction, level, [delivery_at,] created_at, updated_at} from
 * DEVPLAT_PROJECT_COLUMNS at cells[0..]. */
json_object *devplat_project_json(const char **cells, int with_delivery);

#endif
