with

permits as (

    select * from {{ ref('int_year_to_date_differenced') }}
    where figure_code = 'permits_granted'

),

purposes as (

    select * from {{ ref('stg_reference__permit_purposes') }}

),

final as (

    select
        permits.reference_month,
        permits.subject_code as purpose_code,
        purposes.purpose_label_nl,
        purposes.purpose_name_en,
        cast(permits.value_ytd as bigint) as granted_ytd,
        cast(permits.value_in_month as bigint) as granted_in_month,
        permits.is_approximate,
        cast(permits.rounding_unit as double precision) as rounding_unit,
        permits.document_id

    from permits
    left join purposes
        on permits.subject_code = purposes.purpose_code

)

select * from final
