{#-
    Every published label maps to a code. A label without one (a new spelling, a misprint) stops
    the build with an error that names the label and the document: the message is carried by a
    cast of the text to an integer, which fails the same way on DuckDB and PostgreSQL. The cast
    stands in the where clause so that no optimiser can prune it. Add the spelling to the
    reference seeds (seeds/reference/) to fix it. `label_column` may be an expression (the parts
    of a figure's family); `missing` says what is wrong with it.
-#}
{% test labels_have_codes(model, column_name, label_column, kind='label', missing='has no code in the reference seeds') %}

select
    document_id,
    source_line,
    {{ label_column }} as unmapped_label

from {{ model }}
where
    cast(
        case
            when {{ column_name }} is null and {{ label_column }} is not null
                then 'document ' || document_id || ', line ' || cast(source_line as varchar)
                || ': {{ kind }} "' || {{ label_column }} || '" {{ missing }}'
        end
        as integer
    ) is not null

{% endtest %}
