-- The raw figures renamed, with the key their label is matched on (the label rule of
-- core/labels.py). The seed's columns are typed where it is loaded (dbt_project.yml); the codes of
-- the labels and each figure's family come from the reference seeds in int_published_figures_corrected.
-- The key is worked out once per distinct label: a few dozen labels, against 80 figures per
-- publication (keying every figure took 1.8 s at 1,200 publications).
with

source as (

    select * from {{ ref('raw_published_figures') }}

),

label_keys as (

    select
        subject_label_nl,
        {{ label_key('subject_label_nl') }} as subject_label_key

    from (select distinct subject_label_nl from source) as labels

),

renamed as (

    select
        source.document_id,
        source.figure_seq,
        source.figure_code,
        source.population_code,
        source.window_type,
        source.period_start,
        source.period_end,
        source.subject_type,
        source.subject_label_nl,
        label_keys.subject_label_key,
        source.value as published_value,
        source.unit,
        source.is_approximate,
        source.rounding_unit,
        source.rounding_basis,
        source.source_line,
        source.source_text

    from source
    left join label_keys
        on source.subject_label_nl = label_keys.subject_label_nl

)

select * from renamed
