-- Renames and casts the raw figures, maps the published Dutch labels (nationalities, permit
-- purposes) to codes and gives each figure its family from the registry. These lookups are the
-- one exception to "no joins in staging": the mapping *is* the normalisation this layer owns, and
-- every model downstream needs codes, never labels.
with

source as (

    select * from {{ ref('raw_published_figures') }}

),

families as (

    select * from {{ ref('stg_reference__figure_families') }}

),

nationality_labels as (

    select * from {{ ref('stg_reference__nationality_labels') }}

),

purposes as (

    select * from {{ ref('stg_reference__permit_purposes') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(figure_seq as integer) as figure_seq,
        cast(figure_code as varchar) as figure_code,
        cast(population_code as varchar) as population_code,
        cast(window_type as varchar) as window_type,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(subject_type as varchar) as subject_type,
        cast(subject_label_nl as varchar) as subject_label_nl,
        cast(value as decimal(18, 4)) as published_value,
        cast(unit as varchar) as unit,
        cast(is_approximate as boolean) as is_approximate,
        cast(rounding_unit as decimal(18, 4)) as rounding_unit,
        cast(rounding_basis as varchar) as rounding_basis,
        cast(source_line as integer) as source_line,
        cast(source_text as varchar) as source_text

    from source

),

mapped as (

    select
        renamed.document_id,
        renamed.figure_seq,
        families.family_code,
        renamed.figure_code,
        renamed.population_code,
        renamed.window_type,
        renamed.period_start,
        renamed.period_end,
        renamed.subject_type,
        case renamed.subject_type
            when 'total' then 'TOTAL'
            when 'nationality' then nationality_labels.nationality_code
            when 'purpose' then purposes.purpose_code
        end as subject_code,
        renamed.subject_label_nl,
        renamed.published_value,
        renamed.unit,
        renamed.is_approximate,
        renamed.rounding_unit,
        renamed.rounding_basis,
        renamed.source_line,
        renamed.source_text

    from renamed
    left join families
        on
            renamed.figure_code = families.figure_code
            and renamed.population_code = families.population_code
            and renamed.window_type = families.window_type
            and renamed.subject_type = families.subject_type
            and renamed.unit = families.unit
    left join nationality_labels
        on
            renamed.subject_type = 'nationality'
            and {{ label_key('renamed.subject_label_nl') }} = nationality_labels.label_key
    left join purposes
        on
            renamed.subject_type = 'purpose'
            and {{ label_key('renamed.subject_label_nl') }} = purposes.label_key

)

select * from mapped
